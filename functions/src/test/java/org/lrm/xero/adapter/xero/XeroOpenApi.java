package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xero's official OpenAPI documents (release 16.1.0) as a test oracle: finds the operation for a
 * method and path, checks that the path, method and parameters exist as the spec has them, and
 * validates JSON bodies against the request or response schema with every {@code $ref} resolved
 * (each document is one schema resource, validated against JSON pointers into it, OpenAPI 3.0
 * dialect so that {@code nullable} and friends mean what they mean in OpenAPI).
 *
 * <p>Documents are the class path resources {@code /xero-openapi/*.yaml} of the module {@code xero-openapi}.
 */
final class XeroOpenApi {

    static final String ACCOUNTING_PREFIX = "/api.xro/2.0";

    /** One spec document. */
    record Doc(String name, String iri, JsonNode root, String basePath) {
    }

    /** An operation as the spec has it, with path-level and operation-level parameters merged. */
    record Operation(Doc doc, String pathTemplate, String method, String pointer, JsonNode node, List<JsonNode> parameters) {

        String operationId() {
            return node.path("operationId").asText();
        }

        @Override
        public String toString() {
            return doc.name + " " + method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " (" + operationId() + ")";
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile XeroOpenApi instance;

    final Doc accounting;
    final Doc identity;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private XeroOpenApi() {
        this.accounting = read("xero_accounting.yaml", "accounting", ACCOUNTING_PREFIX);
        this.identity = read("xero-identity.yaml", "identity", "");
        Map<String, String> resources = new HashMap<>();
        try {
            resources.put(accounting.iri, JSON.writeValueAsString(accounting.root));
            resources.put(identity.iri, JSON.writeValueAsString(identity.root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
                b -> b.schemas(resources).schemaRegistryConfig(config));
    }

    /** Loads (once per JVM) the documents. */
    static XeroOpenApi load() {
        XeroOpenApi api = instance;
        if (api == null) {
            synchronized (XeroOpenApi.class) {
                api = instance;
                if (api == null) {
                    api = new XeroOpenApi();
                    instance = api;
                }
            }
        }
        return api;
    }

    private static Doc read(String file, String name, String basePath) {
        String resource = "/xero-openapi/" + file;
        try (InputStream in = XeroOpenApi.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (module xero-openapi)");
            }
            return new Doc(name, "https://xero-openapi.test/" + name + ".json", YAML.readTree(in), basePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    // ------------------------------------------------------------------ finding operations

    /**
     * The operation for a request path as sent ({@code /api.xro/2.0/Contacts}, {@code /connections/abc}).
     * Literal segments match case-insensitively (Xero's paths are). A GET asking for
     * {@code application/pdf} finds the PDF operation whose {@code x-path} is the path (as Xero's SDKs call it).
     */
    Operation find(String method, String path, String accept) {
        Doc doc;
        String rest;
        if (path.startsWith(ACCOUNTING_PREFIX + "/")) {
            doc = accounting;
            rest = path.substring(ACCOUNTING_PREFIX.length());
        } else {
            doc = identity;
            rest = path;
        }
        String m = method.toLowerCase(Locale.ROOT);
        boolean pdf = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/pdf");
        Operation best = null;
        int bestLiterals = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.root.path("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode op = e.getValue().get(m);
            if (op == null) {
                continue;
            }
            String template = e.getKey();
            String matchOn = template;
            if (pdf) {
                if (!op.path("responses").path("200").path("content").has("application/pdf") || !op.has("x-path")) {
                    continue;
                }
                matchOn = op.get("x-path").asText();
            }
            int literals = match(matchOn, rest);
            if (literals > bestLiterals) {
                bestLiterals = literals;
                best = new Operation(doc, template, m, "#/paths/" + escape(template) + "/" + m, op,
                        parameters(doc, e.getValue(), op));
            }
        }
        return best;
    }

    /** Number of literal segments matched, or -1 when the template does not match. */
    private static int match(String template, String path) {
        String[] t = template.split("/");
        String[] p = path.split("/");
        if (t.length != p.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
            } else if (t[i].equalsIgnoreCase(p[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private List<JsonNode> parameters(Doc doc, JsonNode pathItem, JsonNode op) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), op.path("parameters"))) {
            for (JsonNode p : list) {
                JsonNode resolved = resolve(doc, p);
                byKey.put(resolved.path("in").asText() + ":" + resolved.path("name").asText().toLowerCase(Locale.ROOT),
                        resolved);
            }
        }
        return List.copyOf(byKey.values());
    }

    private static JsonNode resolve(Doc doc, JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("external $ref not supported: " + ref);
            }
            n = doc.root.at(ref.substring(1));
        }
        return n;
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    // ------------------------------------------------------------------ validating

    /** What the spec says is wrong with a request: path, method, parameters, headers and body. */
    List<String> validateRequest(RecordingProxy.Exchange ex) {
        List<String> problems = new ArrayList<>();
        Operation op = find(ex.method(), ex.path(), ex.requestHeader("Accept"));
        if (op == null) {
            problems.add(ex.method() + " " + ex.path() + " is not in Xero's OpenAPI");
            return problems;
        }
        Map<String, List<String>> query = parseQuery(ex.rawQuery());
        for (JsonNode p : op.parameters()) {
            String in = p.path("in").asText();
            String name = p.path("name").asText();
            boolean required = p.path("required").asBoolean(false);
            String value = null;
            if ("query".equals(in)) {
                List<String> v = query.remove(name);
                value = v == null ? null : v.get(0);
            } else if ("header".equals(in)) {
                value = ex.requestHeader(name);
            } else {
                continue;
            }
            if (value == null) {
                if (required) {
                    problems.add(op + ": required " + in + " parameter " + name + " missing");
                }
                continue;
            }
            for (String error : validateValue(op.doc(), p.path("schema"), p, value)) {
                problems.add(op + ": " + in + " parameter " + name + "=" + value + ": " + error);
            }
        }
        query.keySet().forEach(q -> problems.add(op + ": query parameter " + q + " is not in the spec"));
        JsonNode requestBody = resolve(op.doc(), op.node().path("requestBody"));
        if (ex.requestBody().length > 0) {
            if (requestBody.isMissingNode()) {
                problems.add(op + ": sends a body the spec does not define");
            } else {
                String type = mediaType(ex.requestHeader("Content-Type"));
                if (!requestBody.path("content").has(type)) {
                    problems.add(op + ": request Content-Type " + type + " not in the spec");
                } else if (type.endsWith("json")) {
                    String pointer = op.pointer() + "/requestBody/content/" + escape(type) + "/schema";
                    if (op.node().path("requestBody").has("$ref")) {
                        pointer = op.node().path("requestBody").path("$ref").asText() + "/content/" + escape(type) + "/schema";
                    }
                    validateJson(op.doc(), pointer, ex.requestText())
                            .forEach(e -> problems.add(op + ": request body: " + e));
                }
            }
        } else if (requestBody.path("required").asBoolean(false)) {
            problems.add(op + ": required request body missing");
        }
        return problems;
    }

    /**
     * What the spec says is wrong with a response. A status the operation does not document is a problem
     * when it is a success; an undocumented 400 is checked against Xero's {@code Error} schema; other
     * undocumented errors (401, 403, 404, 429, 5xx: the spec lists them for no operation) are not checked.
     */
    List<String> validateResponse(RecordingProxy.Exchange ex) {
        List<String> problems = new ArrayList<>();
        Operation op = find(ex.method(), ex.path(), ex.requestHeader("Accept"));
        if (op == null) {
            problems.add(ex.method() + " " + ex.path() + " is not in Xero's OpenAPI");
            return problems;
        }
        String status = String.valueOf(ex.status());
        JsonNode response = op.node().path("responses").path(status);
        String pointerBase = op.pointer() + "/responses/" + status;
        if (response.isMissingNode()) {
            if (ex.status() < 300) {
                problems.add(op + ": status " + status + " is not documented");
            } else if (ex.status() == 400 && op.doc() == accounting) {
                validateJson(op.doc(), "#/components/schemas/Error", ex.responseText())
                        .forEach(e -> problems.add(op + ": 400 body (as Error): " + e));
            }
            return problems;
        }
        if (response.has("$ref")) {
            pointerBase = response.get("$ref").asText();
            response = resolve(op.doc(), response);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (ex.responseBody().length > 0 && ex.status() != 200) {
                problems.add(op + ": status " + status + " has a body the spec does not define");
            }
            return problems;
        }
        String type = mediaType(ex.responseHeader("Content-Type"));
        if (!content.has(type)) {
            problems.add(op + ": response Content-Type " + type + " not in " + fieldNames(content));
            return problems;
        }
        if (type.endsWith("json")) {
            validateJson(op.doc(), pointerBase + "/content/" + escape(type) + "/schema", ex.responseText())
                    .forEach(e -> problems.add(op + ": response " + status + " body: " + e));
            if (op.doc() == accounting) {
                msDateViolations(op.doc(), pointerBase + "/content/" + escape(type) + "/schema", ex.responseText()).forEach(e -> problems.add(op + ": response " + status + " body: " + e));
            }
        } else if ("application/pdf".equals(type)) {
            byte[] b = ex.responseBody();
            if (b.length < 5 || !new String(b, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-")) {
                problems.add(op + ": response is not a PDF (no %PDF- header)");
            }
        }
        return problems;
    }

    private static final java.util.regex.Pattern MS_DATE = java.util.regex.Pattern.compile("/Date\\(-?\\d+([+-]\\d{4})?\\)/");

    /**
     * The schema types Xero's dates only as strings; its {@code x-is-msdate(-time)} marks say they are
     * {@code /Date(ms+0000)/}. Walks a body along its schema and reports every marked field that is not.
     */
    List<String> msDateViolations(Doc doc, String pointer, String jsonText) {
        List<String> out = new ArrayList<>();
        try {
            String jsonPointer = pointer.substring(1).replace("%7B", "{").replace("%7D", "}");
            walkDates(doc, doc.root.at(jsonPointer), JSON.readTree(jsonText), "", out, 0);
        } catch (IOException e) {
            // not JSON: reported by schema validation
        }
        return out;
    }

    private void walkDates(Doc doc, JsonNode schema, JsonNode node, String at, List<String> out, int depth) {
        if (depth > 12 || schema == null || schema.isMissingNode()) {
            return;
        }
        JsonNode s = resolve(doc, schema);
        if (node.isObject()) {
            JsonNode props = s.path("properties");
            node.fields().forEachRemaining(e -> {
                JsonNode ps = props.path(e.getKey());
                if (ps.isMissingNode()) {
                    return;
                }
                JsonNode prop = resolve(doc, ps);
                String here = at + "/" + e.getKey();
                boolean ms = prop.path("x-is-msdate").asBoolean(false) || prop.path("x-is-msdate-time").asBoolean(false);
                if (ms && e.getValue().isTextual() && !MS_DATE.matcher(e.getValue().asText()).matches()) {
                    out.add(here + ": " + e.getValue() + " is not a /Date(ms+0000)/ date (x-is-msdate)");
                }
                walkDates(doc, prop, e.getValue(), here, out, depth + 1);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkDates(doc, s.path("items"), node.get(i), at + "/" + i, out, depth + 1);
            }
        }
    }

    /** Validates JSON text against the schema at a pointer into a document ({@code #/components/schemas/X}). */
    List<String> validateJson(Doc doc, String pointer, String jsonText) {
        Schema schema = schemas.computeIfAbsent(doc.iri + pointer, k -> registry.getSchema(SchemaLocation.of(k)));
        try {
            JSON.readTree(jsonText);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return schema.validate(jsonText, InputFormat.JSON).stream().filter(e -> !knownXeroDeviation(e))
                .map(Object::toString).toList();
    }

    /**
     * Where Xero's documents contradict themselves, Xero's own examples win: the identity document
     * declares {@code format: date-time} (RFC 3339, with an offset) for {@code createdDateUtc} and
     * {@code updatedDateUtc} but its example, like Xero itself, sends UTC without one
     * ({@code 2019-12-07T18:46:19.5165400}). Only that form is let through.
     */
    private static boolean knownXeroDeviation(com.networknt.schema.Error e) {
        if (!"format".equals(e.getKeyword()) || e.getInstanceNode() == null) {
            return false;
        }
        return e.getSchemaNode() != null && e.getSchemaNode().toString().contains("date-time")
                && e.getInstanceNode().toString().matches("\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,7})?\"");
    }

    List<String> validateSchema(Doc doc, String schemaName, String jsonText) {
        return validateJson(doc, "#/components/schemas/" + schemaName, jsonText);
    }

    /** A parameter value (always text on the wire) checked against its schema. */
    private List<String> validateValue(Doc doc, JsonNode schemaNode, JsonNode param, String raw) {
        JsonNode schema = resolve(doc, schemaNode);
        JsonNode instance = typed(doc, schema, param, raw);
        String inline;
        try {
            // Parameter schemas are small and self-contained; validate them inline, resolving refs by hand.
            inline = JSON.writeValueAsString(inlineRefs(doc, schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Schema s = schemas.computeIfAbsent("inline:" + inline, k -> registry.getSchema(inline, InputFormat.JSON));
        return s.validate(instance.toString(), InputFormat.JSON).stream().map(Object::toString).toList();
    }

    private JsonNode inlineRefs(Doc doc, JsonNode schema) {
        JsonNode s = resolve(doc, schema);
        if (s.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            s.fields().forEachRemaining(e -> copy.set(e.getKey(), inlineRefs(doc, e.getValue())));
            return copy;
        }
        return s;
    }

    private static JsonNode typed(Doc doc, JsonNode schema, JsonNode param, String raw) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (schema.path("type").asText()) {
            case "integer":
                try {
                    return f.numberNode(Long.parseLong(raw));
                } catch (NumberFormatException e) {
                    return f.textNode(raw);
                }
            case "number":
                try {
                    return f.numberNode(new java.math.BigDecimal(raw));
                } catch (NumberFormatException e) {
                    return f.textNode(raw);
                }
            case "boolean":
                return "true".equals(raw) || "false".equals(raw) ? f.booleanNode(Boolean.parseBoolean(raw)) : f.textNode(raw);
            case "array": {
                ArrayNode a = f.arrayNode();
                boolean explode = param.path("explode").asBoolean(true);
                for (String item : explode ? new String[] {raw} : raw.split(",", -1)) {
                    a.add(typed(doc, resolve(doc, schema.path("items")), param, item));
                }
                return a;
            }
            default:
                return f.textNode(raw);
        }
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
