package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LRM API's OpenAPI 3.1 document ({@code api/openapi.yaml}) as a test oracle for what the API
 * answers: given a method and path (a route key's template, or a concrete path) and an answer (an API
 * Gateway v2 response from a handler, or an HTTP response a client received from a gateway), it says
 * everything the document does not allow: an undocumented status, a missing
 * required header or one whose value breaks its schema, a content type the operation does not list, a
 * body where none is documented, and a JSON body (or a text body, as a string) that breaks its schema.
 *
 * <p>Bodies are validated with networknt's json-schema-validator in its OpenAPI 3.1 dialect (JSON
 * Schema 2020-12 with OpenAPI's vocabulary, format assertions on), the document being one schema
 * resource read through JSON pointers, so every {@code $ref} resolves as the document means it.
 * Atlassian's swagger-request-validator cannot do this: it parses 3.1 documents but validates their
 * schemas as JSON Schema draft 4, silently skipping {@code type} in 3.1 schemas, type arrays,
 * {@code const} and more.
 */
public final class ApiContract {

    /** The document's path in the repository. */
    public static final String DOCUMENT = "api/openapi.yaml";

    private static final String IRI = "https://lrm-xero.test/openapi.json";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static volatile ApiContract repositoryDocument;

    /** An operation of the document: its method, path template, node and JSON pointer. */
    public record Operation(String method, String pathTemplate, JsonNode node, String pointer) {

        /** E.g. {@code "GET /v1/learners/{learnerId}/xero"}, as API Gateway writes a route key. */
        public String routeKey() {
            return method.toUpperCase(Locale.ROOT) + " " + pathTemplate;
        }

        @Override
        public String toString() {
            return routeKey() + " (" + node.path("operationId").asText() + ")";
        }
    }

    private final JsonNode root;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(JsonNode root) {
        this.root = root;
        String json;
        try {
            json = JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                b -> b.schemas(Map.of(IRI, json)).schemaRegistryConfig(config));
    }

    /** The repository's document, read once per JVM. */
    public static ApiContract load() {
        ApiContract contract = repositoryDocument;
        if (contract == null) {
            synchronized (ApiContract.class) {
                contract = repositoryDocument;
                if (contract == null) {
                    contract = read(RepoPaths.root().resolve(DOCUMENT));
                    repositoryDocument = contract;
                }
            }
        }
        return contract;
    }

    public static ApiContract read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A document given as YAML or JSON text. */
    public static ApiContract parse(String document) {
        try {
            return new ApiContract(YAML.readTree(document));
        } catch (IOException e) {
            throw new UncheckedIOException("not a YAML or JSON document", e);
        }
    }

    /** The document as a JSON tree. */
    public JsonNode root() {
        return root;
    }

    /** Every operation of the document, in document order. */
    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    out.add(new Operation(method, path.getKey(), op, "#/paths/" + escape(path.getKey()) + "/" + method));
                }
            }
        }
        return out;
    }

    /** Every operation's route key ({@code "GET /v1/xero/connection"}). */
    public Set<String> routeKeys() {
        Set<String> keys = new LinkedHashSet<>();
        operations().forEach(op -> keys.add(op.routeKey()));
        return keys;
    }

    /**
     * The operation for a method and a path: a template exactly as the document writes it
     * ({@code /v1/learners/{learnerId}}), or a concrete path ({@code /v1/learners/L-1}) matched against
     * the templates, the one with most literal segments winning.
     */
    public Optional<Operation> operation(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        Operation best = null;
        int bestLiterals = -1;
        for (Operation op : operations()) {
            if (!op.method().equals(m)) {
                continue;
            }
            if (op.pathTemplate().equals(path)) {
                return Optional.of(op);
            }
            int literals = literalsMatched(op.pathTemplate(), path);
            if (literals > bestLiterals) {
                bestLiterals = literals;
                best = op;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * What the document says is wrong with the answer to a request: the request's route key (as API
     * Gateway and the local gateway set it) or, without one, its method and raw path find the operation.
     */
    public List<String> check(APIGatewayV2HTTPEvent request, APIGatewayV2HTTPResponse response) {
        String routeKey = request.getRouteKey();
        if (routeKey != null && routeKey.contains(" ")) {
            return check(routeKey.substring(0, routeKey.indexOf(' ')), routeKey.substring(routeKey.indexOf(' ') + 1), response);
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = request.getRequestContext() == null ? null
                : request.getRequestContext().getHttp();
        if (http == null) {
            return List.of("the request names no route key, method or path");
        }
        return check(http.getMethod(), request.getRawPath() != null ? request.getRawPath() : http.getPath(), response);
    }

    /** What the document says is wrong with an answer to {@code method path}, as a handler gives it. */
    public List<String> check(String method, String path, APIGatewayV2HTTPResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        if (response.getCookies() != null) {
            // API Gateway sends payload 2.0's cookies as Set-Cookie headers.
            response.getCookies().forEach(c -> headers.computeIfAbsent("set-cookie", n -> new ArrayList<>()).add(c));
        }
        String body = response.getBody() == null ? ""
                : response.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(response.getBody()), StandardCharsets.UTF_8)
                : response.getBody();
        return check(method, path, response.getStatusCode(), headers, body);
    }

    /** What the document says is wrong with an answer a client received (from the local gateway, say). */
    public List<String> check(String method, String path, HttpResponse<String> response) {
        return check(method, path, response.statusCode(), response.headers().map(), response.body() == null ? "" : response.body());
    }

    /**
     * What the document says is wrong with an answer to {@code method path} (a query string is ignored):
     * its status, headers (names in any case) and body text.
     */
    public List<String> check(String method, String path, int statusCode, Map<String, List<String>> headers, String body) {
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        Optional<Operation> found = operation(method, pathOnly);
        if (found.isEmpty()) {
            return List.of(method.toUpperCase(Locale.ROOT) + " " + pathOnly + " is not an operation of " + DOCUMENT);
        }
        Operation op = found.get();
        String status = String.valueOf(statusCode);
        String pointer = op.pointer() + "/responses/" + status;
        JsonNode documented = op.node().path("responses").get(status);
        if (documented == null) {
            return List.of(op + ": status " + status + " is not documented (documented: "
                    + fieldNames(op.node().path("responses")) + "); body: " + abbreviate(body));
        }
        if (documented.has("$ref")) {
            pointer = documented.get("$ref").asText();
            documented = resolve(documented);
        }
        List<String> problems = new ArrayList<>();
        String where = op + " " + status;
        checkHeaders(where, pointer, documented.path("headers"), headers, problems);
        checkBody(where, pointer, documented.path("content"), header(headers, "content-type"), body, problems);
        return problems;
    }

    /** Fails with every problem {@link #check(APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse)} finds. */
    public APIGatewayV2HTTPResponse assertConforms(APIGatewayV2HTTPEvent request, APIGatewayV2HTTPResponse response) {
        List<String> problems = check(request, response);
        if (!problems.isEmpty()) {
            throw new AssertionError("The answer breaks " + DOCUMENT + ":\n  " + String.join("\n  ", problems));
        }
        return response;
    }

    /** JSON text checked against the schema at a pointer into the document ({@code #/components/schemas/Learner}). */
    public List<String> validate(String pointer, String json) {
        try {
            JSON.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return schema(pointer).validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }

    private void checkHeaders(String where, String pointer, JsonNode documented, Map<String, List<String>> headers,
            List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String headerPointer = pointer + "/headers/" + escape(e.getKey());
            JsonNode header = e.getValue();
            if (header.has("$ref")) {
                headerPointer = header.get("$ref").asText();
                header = resolve(header);
            }
            String value = header(headers, e.getKey());
            if (value == null) {
                if (header.path("required").asBoolean(false)) {
                    problems.add(where + ": required header " + e.getKey() + " is missing");
                }
                continue;
            }
            for (String error : validate(headerPointer + "/schema", quoted(value))) {
                problems.add(where + ": header " + e.getKey() + ": " + value + ": " + error);
            }
        }
    }

    private void checkBody(String where, String pointer, JsonNode content, String contentType, String body,
            List<String> problems) {
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                problems.add(where + ": has a body where the document defines none: " + abbreviate(body));
            }
            return;
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            problems.add(where + ": content type " + (contentType == null ? "(none)" : contentType)
                    + " is not one of " + fieldNames(content));
            return;
        }
        String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            validate(schemaPointer, body).forEach(e -> problems.add(where + " " + mediaType + " body: " + e));
        } else if (mediaType.startsWith("text/")) {
            validate(schemaPointer, quoted(body)).forEach(e -> problems.add(where + " " + mediaType + " body: " + e));
        }
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + p)));
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only references within the document are supported: " + ref);
            }
            n = root.at(ref.substring(1).replace("%7B", "{").replace("%7D", "}"));
        }
        return n;
    }

    /** Number of literal segments matched, or -1 when the template does not match the path. */
    private static int literalsMatched(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
            } else if (t[i].equals(p[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    /** A JSON pointer token in a URI fragment: {@code ~} and {@code /} escaped, braces percent-encoded. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
