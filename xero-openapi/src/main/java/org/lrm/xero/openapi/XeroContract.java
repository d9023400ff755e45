package org.lrm.xero.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Holds one exchange with Xero (a request and the response to it) to Xero's official OpenAPI documents (release
 * 16.1.0, the class path resources {@code /xero-openapi/*.yaml}) with Atlassian's maintained validator
 * ({@code com.atlassian.oai:swagger-request-validator-core}): path, method, every parameter (an unknown query
 * parameter too), headers, the request body and the response's status, content type and body.
 *
 * <p>The oracle is the validator; this class only says which document and operation an exchange belongs to, and
 * what Xero does that its documents cannot describe. All of that is in {@link Beyond}: one list, each entry with its
 * reason. Nothing else is skipped.
 *
 * <p>Thread-safe; {@link #load()} parses the documents once per JVM (a few seconds).
 */
public final class XeroContract {

    /**
     * Where Xero's documents cannot describe what Xero really does, and what this class does instead. These are the
     * only exchanges, or parts of exchanges, not held to the documents as they stand.
     */
    public enum Beyond {
        /**
         * Xero serves an invoice's PDF at {@code GET /Invoices/{InvoiceID}} with {@code Accept: application/pdf}; the
         * document models it as the operation {@code getInvoiceAsPdf} at {@code /Invoices/{InvoiceID}/pdf} with
         * {@code x-path: /Invoices/{InvoiceID}}. Such a request is validated as that operation (parameters, headers,
         * status, content type); the PDF's bytes are not JSON and have no schema.
         */
        INVOICE_PDF,
        /**
         * The documents list 401, 403, 404, 429 and 5xx for no operation, though Xero answers them on every one (auth
         * problems, unknown ids, limits, outages). Such an answer's request is still validated; its body is not (the
         * shapes are in the sandbox README, from Xero's SDK trackers). An undocumented 400 is validated against the
         * accounting document's {@code Error} schema, which is what Xero sends.
         */
        ERROR_STATUSES_DOCUMENTED_NOWHERE,
        /**
         * OAuth's {@code POST /connect/token} and {@code /connect/revocation} are not paths of the identity document;
         * its schemas {@code AccessToken} (a token answer) and {@code RefreshToken} (a refresh form) are, and are
         * applied. Error answers ({@code {"error": "invalid_grant"}}, OAuth's own) and the authorization-code form have
         * no schema. {@code GET /identity/connect/authorize} is a browser page and is not checked.
         */
        OAUTH_ENDPOINTS,
        /**
         * Xero writes the identity document's {@code date-time} fields without an offset
         * ({@code "2019-12-07T18:46:19.5165400"}, the document's own example), which the {@code date-time} format
         * refuses: for those fields an offset-less timestamp is accepted instead, nothing else.
         */
        OFFSETLESS_CONNECTION_DATES,
        /**
         * The accounting document types its dates as strings and marks them {@code x-is-msdate(-time)}: Xero answers
         * {@code /Date(1700000000000+0000)/}, and takes {@code YYYY-MM-DD[THH:MM:SS]} or that form in requests. The
         * marks become patterns: answers must be {@code /Date(...)/}, requests either form. This is stricter than the
         * documents as written, not kinder.
         */
        MS_DATES,
        /**
         * The validator refuses properties a schema does not name. Xero's answers carry some the schemas lack though
         * the documents' own examples show them: the envelope of every answer ({@code Id}, {@code Status},
         * {@code ProviderName}, {@code DateTimeUTC}) and, beside each ms-date {@code Date} and {@code DueDate}, its
         * {@code DateString} and {@code DueDateString} ({@code 2017-11-28T00:00:00}), and the {@code ID} of a credit
         * note, prepayment or overpayment (shown applied to an invoice); a 400's {@code Element} echoes the whole element
         * that failed (a contact, an invoice ...), so it takes any property; token answers carry
         * {@code scope} (RFC 6749 section 5.1), which {@code AccessToken} lacks. Those are added to the answer schemas,
         * the date strings with their pattern. Nothing else is added.
         */
        SHOWN_IN_EXAMPLES
    }

    /** One HTTP exchange as it crossed the wire. Header names in any case; {@code path} without the query. */
    public record Exchange(String method, String path, String rawQuery, Map<String, List<String>> requestHeaders,
            byte[] requestBody, int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {

        public Exchange {
            method = method.toUpperCase(Locale.ROOT);
            requestHeaders = lowerCaseKeys(requestHeaders);
            responseHeaders = lowerCaseKeys(responseHeaders);
            requestBody = requestBody == null ? new byte[0] : requestBody;
            responseBody = responseBody == null ? new byte[0] : responseBody;
        }

        public String requestHeader(String name) {
            List<String> v = requestHeaders.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String responseHeader(String name) {
            List<String> v = responseHeaders.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String requestText() {
            return text(requestBody);
        }

        public String responseText() {
            return text(responseBody);
        }

        @Override
        public String toString() {
            return method + " " + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery) + " -> " + status;
        }

        private static Map<String, List<String>> lowerCaseKeys(Map<String, List<String>> headers) {
            Map<String, List<String>> out = new TreeMap<>();
            if (headers != null) {
                headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * What the validator found wrong with an exchange.
     *
     * @param exchange e.g. {@code GET /api.xro/2.0/Contacts?IDs=... -> 200}
     * @param key      the validator's message key, e.g. {@code validation.request.parameter.query.unexpected}
     */
    public record Violation(String exchange, String key, String message) {
        @Override
        public String toString() {
            return exchange + ": " + message + " [" + key + "]";
        }
    }

    /** Xero's documents, for {@link #validateSchema}. */
    public enum Document { ACCOUNTING, IDENTITY }

    public static final String ACCOUNTING_PREFIX = "/api.xro/2.0";
    private static final String PDF_SUFFIX = "/pdf";
    private static final Pattern INVOICE_BY_ID = Pattern.compile("(?i)/Invoices/[^/]+");
    private static final Pattern RESPONSE_MS_DATE = Pattern.compile("^/Date\\(-?\\d+([+-]\\d{4})?\\)/$");
    private static final Pattern REQUEST_DATE = Pattern.compile(
            "^(/Date\\(-?\\d+([+-]\\d{4})?\\)/|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?)$");
    private static final Pattern LOCAL_DATE_TIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$");
    private static final Pattern OFFSETLESS_DATE_TIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile XeroContract instance;

    /** One document as the validator holds it, for requests and for responses (they differ only by {@link Beyond#MS_DATES}). */
    private record Spec(OpenAPI forRequests, OpenAPI forResponses, OpenApiInteractionValidator requests,
            OpenApiInteractionValidator responses, Map<String, String> literalSegments, SchemaValidator requestSchemas,
            SchemaValidator responseSchemas) {
    }

    private final Spec accounting;
    private final Spec identity;

    private XeroContract() {
        this.accounting = spec("xero_accounting.yaml", false);
        this.identity = spec("xero-identity.yaml", true);
    }

    /** The documents, parsed once per JVM. */
    public static XeroContract load() {
        XeroContract c = instance;
        if (c == null) {
            synchronized (XeroContract.class) {
                c = instance;
                if (c == null) {
                    c = new XeroContract();
                    instance = c;
                }
            }
        }
        return c;
    }

    /** Whether this path is Xero's (the Accounting API, connections or OAuth), i.e. something {@link #check} holds to the documents. */
    public static boolean isXeroPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.startsWith(ACCOUNTING_PREFIX.toLowerCase(Locale.ROOT) + "/") || p.equals("/connections") || p.startsWith("/connections/")
                || p.equals("/connect/token") || p.equals("/connect/revocation") || p.startsWith("/identity/connect/");
    }

    /** Everything the documents say is wrong with this exchange, in both directions; empty when it conforms. */
    public List<Violation> check(Exchange ex) {
        String path = ex.path();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("/identity/connect/")) {
            return List.of(); // Beyond.OAUTH_ENDPOINTS: the authorize page is a browser's
        }
        if (lower.equals("/connect/token") || lower.equals("/connect/revocation")) {
            return oauth(ex, lower);
        }
        boolean isAccounting = lower.startsWith(ACCOUNTING_PREFIX.toLowerCase(Locale.ROOT) + "/");
        Spec spec = isAccounting ? accounting : identity;
        String rest = isAccounting ? path.substring(ACCOUNTING_PREFIX.length()) : path;
        rest = canonical(spec, rest);
        String accept = ex.requestHeader("Accept");
        if ("GET".equals(ex.method()) && INVOICE_BY_ID.matcher(rest).matches() && accept != null
                && accept.toLowerCase(Locale.ROOT).contains("application/pdf")) {
            rest = rest + PDF_SUFFIX; // Beyond.INVOICE_PDF
        }
        String specPath = (isAccounting ? ACCOUNTING_PREFIX : "") + rest;
        Request request = request(ex, specPath);
        List<Violation> out = new ArrayList<>();
        collect(ex, spec.requests().validateRequest(request), out);
        ValidationReport response = spec.responses().validateResponse(specPath, request.getMethod(), response(ex));
        for (ValidationReport.Message m : response.getMessages()) {
            if (m.getKey().equals("validation.response.status.unknown") && ex.status() >= 400) {
                // Beyond.ERROR_STATUSES_DOCUMENTED_NOWHERE
                if (ex.status() == 400 && isAccounting) {
                    collect(ex, validate(accounting, accounting.forResponses(), "Error", text(ex.responseBody()), "response.body"), out);
                }
                continue;
            }
            add(ex, m, out);
        }
        return out;
    }

    /**
     * What the schema {@code schemaName} of a document says is wrong with {@code json} (as Xero answers it: dates
     * held to {@link Beyond#MS_DATES} as in responses); empty when it conforms.
     */
    public List<String> validateSchema(Document document, String schemaName, String json) {
        Spec spec = document == Document.ACCOUNTING ? accounting : identity;
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : validate(spec, spec.forResponses(), schemaName, json, "response.body").getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.add(describe(m));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ Beyond.OAUTH_ENDPOINTS

    private List<Violation> oauth(Exchange ex, String path) {
        List<Violation> out = new ArrayList<>();
        if (!"POST".equals(ex.method())) {
            out.add(new Violation(ex.toString(), "xero.oauth.method", "Xero's " + path + " takes POST only"));
            return out;
        }
        if (path.equals("/connect/token")) {
            Map<String, String> form = form(text(ex.requestBody()));
            if ("refresh_token".equals(form.get("grant_type"))) {
                ObjectNode o = JSON.createObjectNode();
                form.forEach(o::put);
                collect(ex, validate(identity, identity.forRequests(), "RefreshToken", o.toString(), "request.body"), out);
            }
            if (ex.status() == 200) {
                collect(ex, validate(identity, identity.forResponses(), "AccessToken", text(ex.responseBody()), "response.body"), out);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ building the validator's view

    private static Request request(Exchange ex, String specPath) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(ex.method(), specPath);
        ex.requestHeaders().forEach(b::withHeader);
        if (ex.requestBody().length > 0) {
            b.withBody(ex.requestBody());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (ex.rawQuery() != null && !ex.rawQuery().isEmpty()) {
            for (String pair : ex.rawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        query.forEach(b::withQueryParam);
        return b.build();
    }

    private static SimpleResponse response(Exchange ex) {
        SimpleResponse.Builder b = new SimpleResponse.Builder(ex.status());
        ex.responseHeaders().forEach(b::withHeader);
        if (ex.responseBody().length > 0) {
            b.withBody(ex.responseBody());
        }
        return b.build();
    }

    /** Xero's paths are case-insensitive: each literal segment as the document spells it. */
    private static String canonical(Spec spec, String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                out.append('/').append(spec.literalSegments().getOrDefault(segment.toLowerCase(Locale.ROOT), segment));
            }
        }
        return out.toString();
    }

    private static ValidationReport validate(Spec spec, OpenAPI api, String schemaName, String json, String keyPrefix) {
        Schema<?> schema = api.getComponents().getSchemas().get(schemaName);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + schemaName);
        }
        return (api == spec.forRequests() ? spec.requestSchemas() : spec.responseSchemas()).validate(json, schema, keyPrefix);
    }

    private static void collect(Exchange ex, ValidationReport report, List<Violation> out) {
        report.getMessages().forEach(m -> add(ex, m, out));
    }

    private static void add(Exchange ex, ValidationReport.Message m, List<Violation> out) {
        if (m.getLevel() == ValidationReport.Level.ERROR) {
            out.add(new Violation(ex.toString(), m.getKey(), describe(m)));
        }
    }

    private static String describe(ValidationReport.Message m) {
        StringBuilder b = new StringBuilder(m.getMessage());
        m.getContext().flatMap(ValidationReport.MessageContext::getParameter)
                .ifPresent(p -> b.append(" (").append(p.getIn()).append(" parameter ").append(p.getName()).append(')'));
        m.getContext().flatMap(ValidationReport.MessageContext::getPointers).map(ValidationReport.MessageContext.Pointers::getInstance)
                .filter(at -> !at.isEmpty() && !at.equals("/")).ifPresent(at -> b.append(" (at ").append(at).append(')'));
        for (ValidationReport.Message nested : m.getNestedMessages()) {
            b.append("; ").append(nested.getMessage());
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ loading

    private static MessageResolver messages() {
        return new MessageResolver(levels());
    }

    private static LevelResolver levels() {
        // An unknown query parameter is a request Xero would not understand: an error, not the library's default.
        return LevelResolver.create().withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR).build();
    }

    private static Spec spec(String file, boolean offsetlessDates) {
        String yaml = resource(file);
        OpenAPI forRequests = parse(yaml, file);
        OpenAPI forResponses = parse(yaml, file);
        msDates(forRequests, REQUEST_DATE);
        msDates(forResponses, RESPONSE_MS_DATE);
        envelope(forResponses);
        if (offsetlessDates) {
            offsetlessDateTimes(forRequests);
            offsetlessDateTimes(forResponses);
        }
        Map<String, String> literals = new LinkedHashMap<>();
        for (String p : forRequests.getPaths().keySet()) {
            for (String segment : p.split("/")) {
                if (!segment.isEmpty() && !segment.startsWith("{")) {
                    literals.putIfAbsent(segment.toLowerCase(Locale.ROOT), segment);
                }
            }
        }
        return new Spec(forRequests, forResponses, validator(forRequests), validator(forResponses), Map.copyOf(literals),
                new SchemaValidator(forRequests, messages()), new SchemaValidator(forResponses, messages()));
    }

    private static OpenApiInteractionValidator validator(OpenAPI api) {
        return OpenApiInteractionValidator.createFor(api).withLevelResolver(levels()).build();
    }

    private static OpenAPI parse(String yaml, String file) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
        if (result.getOpenAPI() == null) {
            throw new IllegalStateException("cannot parse " + file + ": " + result.getMessages());
        }
        return result.getOpenAPI();
    }

    private static String resource(String file) {
        String name = "/xero-openapi/" + file;
        try (InputStream in = XeroContract.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path (module xero-openapi)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** {@link Beyond#MS_DATES}: every schema marked {@code x-is-msdate(-time)} gets the pattern. */
    private static void msDates(OpenAPI api, Pattern pattern) {
        walk(api, s -> {
            Map<String, Object> x = s.getExtensions();
            if (x != null && (Boolean.TRUE.equals(x.get("x-is-msdate")) || Boolean.TRUE.equals(x.get("x-is-msdate-time")))) {
                s.setPattern(pattern.pattern());
            }
        });
    }

    /** {@link Beyond#SHOWN_IN_EXAMPLES}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void envelope(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Set<String> answers = new TreeSet<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
            if (op.getResponses() == null) {
                return;
            }
            op.getResponses().forEach((status, response) -> {
                if (status.startsWith("2") && response.getContent() != null) {
                    response.getContent().values().forEach(media -> {
                        if (media.getSchema() != null && media.getSchema().get$ref() != null) {
                            answers.add(media.getSchema().get$ref().replace("#/components/schemas/", ""));
                        }
                    });
                }
            });
        }));
        for (String name : answers) {
            Schema answer = schemas.get(name);
            if (answer != null && answer.getProperties() != null) {
                for (String field : List.of("Id", "Status", "ProviderName", "DateTimeUTC")) {
                    answer.getProperties().putIfAbsent(field, new StringSchema());
                }
            }
        }
        for (Schema s : schemas.values()) {
            Map<String, Schema> props = s.getProperties();
            if (props == null) {
                continue;
            }
            for (String dateField : List.of("Date", "DueDate")) {
                Schema date = props.get(dateField);
                if (date != null && date.getExtensions() != null && Boolean.TRUE.equals(date.getExtensions().get("x-is-msdate"))) {
                    props.putIfAbsent(dateField + "String", new StringSchema().pattern(LOCAL_DATE_TIME.pattern()));
                }
            }
        }
        for (String credit : List.of("CreditNote", "Prepayment", "Overpayment")) {
            Schema s = schemas.get(credit);
            if (s != null && s.getProperties() != null) {
                s.getProperties().putIfAbsent("ID", new UUIDSchema());
            }
        }
        Schema element = schemas.get("Element");
        if (element != null) {
            element.setAdditionalProperties(Boolean.TRUE);
        }
        Schema token = schemas.get("AccessToken");
        if (token != null && token.getProperties() != null) {
            token.getProperties().putIfAbsent("scope", new StringSchema());
        }
    }

    /** {@link Beyond#OFFSETLESS_CONNECTION_DATES}. */
    private static void offsetlessDateTimes(OpenAPI api) {
        walk(api, s -> {
            if ("date-time".equals(s.getFormat())) {
                s.setFormat(null);
                s.setPattern(OFFSETLESS_DATE_TIME.pattern());
            }
        });
    }

    private interface SchemaVisitor {
        void visit(Schema<?> s);
    }

    private static void walk(OpenAPI api, SchemaVisitor visitor) {
        Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(s -> walk(s, visitor, seen));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void walk(Schema<?> s, SchemaVisitor visitor, Set<Schema<?>> seen) {
        if (s == null || !seen.add(s)) {
            return;
        }
        visitor.visit(s);
        if (s.getProperties() != null) {
            ((Map<String, Schema>) (Map) s.getProperties()).values().forEach(p -> walk(p, visitor, seen));
        }
        if (s.getItems() != null) {
            walk(s.getItems(), visitor, seen);
        }
        for (List<Schema> list : new List[] {s.getAllOf(), s.getAnyOf(), s.getOneOf()}) {
            if (list != null) {
                list.forEach(x -> walk(x, visitor, seen));
            }
        }
        if (s.getAdditionalProperties() instanceof Schema<?> ap) {
            walk(ap, visitor, seen);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
