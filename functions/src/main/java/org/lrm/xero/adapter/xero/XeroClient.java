package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroContacts;

/**
 * Xero's identity and accounting APIs over {@code java.net.http}, with typed outcomes
 * ({@link XeroResult}). Thread-safe. Tokens and secrets are only ever written into request headers and
 * form bodies: never into outcomes, exception messages or logs.
 */
public final class XeroClient {

    /** Xero's documented maximum of elements per write the integration sends. */
    public static final int MAX_CONTACTS_PER_UPSERT = XeroContacts.PER_CALL;
    /** Xero rejects requests over 3.5 MB. */
    public static final int MAX_BODY_BYTES = 3_500_000;
    /** Xero's limit on an {@code Idempotency-Key}. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

    private static final String ACCOUNTING = "/api.xro/2.0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final XeroEndpoints endpoints;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Clock clock;

    public XeroClient(HttpClient http, XeroEndpoints endpoints, ObjectMapper json, Duration timeout) {
        this(http, endpoints, json, timeout, Clock.systemUTC());
    }

    /** With the clock that turns {@code expires_in} into {@link TokenSet#expiresAt()}. */
    public XeroClient(HttpClient http, XeroEndpoints endpoints, ObjectMapper json, Duration timeout, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.json = Objects.requireNonNull(json, "json");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---------------------------------------------------------------- identity

    /** Where to send a person to connect Xero organisations: authorization code flow with PKCE (S256). */
    public URI authorizeUrl(String clientId, URI redirectUri, Collection<String> scopes, String state, String codeChallenge) {
        String query = new QueryString().add("response_type", "code").add("client_id", clientId)
                .add("redirect_uri", redirectUri.toString()).add("scope", String.join(" ", scopes)).add("state", state)
                .add("code_challenge", codeChallenge).add("code_challenge_method", codeChallenge == null ? null : "S256")
                .toString();
        return URI.create(endpoints.authorizeUri() + query);
    }

    /** A fresh PKCE code verifier: 32 random bytes, base64url (43 characters). */
    public static String newCodeVerifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The S256 code challenge of a verifier: base64url(SHA-256(verifier)), unpadded. */
    public static String codeChallengeS256(String codeVerifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Swaps an authorization code for tokens. {@code codeVerifier} may be null when not using PKCE. */
    public XeroResult<TokenSet> exchangeCode(AppCredentials app, String code, URI redirectUri, String codeVerifier) {
        QueryString form = new QueryString().add("grant_type", "authorization_code").add("code", code)
                .add("redirect_uri", redirectUri.toString()).add("code_verifier", codeVerifier);
        return tokenRequest(app, form);
    }

    /** A new access token (and a new refresh token: Xero rotates them) for a refresh token. */
    public XeroResult<TokenSet> refresh(AppCredentials app, String refreshToken) {
        return tokenRequest(app, new QueryString().add("grant_type", "refresh_token").add("refresh_token", refreshToken));
    }

    /** Revokes a refresh token, and with it every connection it granted. */
    public XeroResult<Void> revoke(AppCredentials app, String refreshToken) {
        HttpRequest request = identityPost(endpoints.revocationUri(), app, new QueryString().add("token", refreshToken));
        return send(request, "POST /connect/revocation", true, (status, body, rate) -> new XeroResult.Ok<>(null, rate));
    }

    /** The tenants this access token may call; only those of one authorization when {@code authEventId} is set. */
    public XeroResult<List<Connection>> connections(String accessToken, String authEventId) {
        String query = new QueryString().add("authEventId", authEventId).toString();
        HttpRequest request = bearer(URI.create(endpoints.connectionsUri() + query), accessToken)
                .header("Accept", "application/json").GET().build();
        JavaType type = json.getTypeFactory().constructCollectionType(List.class, Connection.class);
        return send(request, "GET /connections", false, (status, body, rate) -> {
            List<Connection> list = json.readValue(body, type);
            if (list == null) {
                throw new UnparseableException("no connections array");
            }
            return new XeroResult.Ok<>(List.copyOf(list), rate);
        });
    }

    /** Disconnects one tenant. */
    public XeroResult<Void> deleteConnection(String accessToken, String connectionId) {
        HttpRequest request = bearer(URI.create(endpoints.connectionsUri() + "/" + QueryString.encode(connectionId)),
                accessToken).DELETE().build();
        return send(request, "DELETE /connections/{id}", false, (status, body, rate) -> new XeroResult.Ok<>(null, rate));
    }

    private XeroResult<TokenSet> tokenRequest(AppCredentials app, QueryString form) {
        HttpRequest request = identityPost(endpoints.tokenUri(), app, form);
        return send(request, "POST /connect/token", true, (status, body, rate) -> {
            JsonNode node = json.readTree(body);
            String access = text(node, "access_token");
            if (access == null || !node.path("expires_in").canConvertToLong()) {
                throw new UnparseableException("token response without access_token or expires_in");
            }
            Instant expiresAt = clock.instant().plusSeconds(node.get("expires_in").asLong());
            String scope = text(node, "scope");
            LinkedHashSet<String> scopes = new LinkedHashSet<>();
            if (scope != null && !scope.isBlank()) {
                scopes.addAll(Arrays.asList(scope.trim().split("\\s+")));
            }
            return new XeroResult.Ok<>(new TokenSet(access, text(node, "refresh_token"), expiresAt, scopes,
                    text(node, "id_token")), rate);
        });
    }

    private HttpRequest identityPost(URI uri, AppCredentials app, QueryString form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (app.clientSecret() != null) {
            String basic = Base64.getEncoder().encodeToString(
                    (app.clientId() + ":" + app.clientSecret()).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + basic);
        } else {
            form.add("client_id", app.clientId());
        }
        String body = form.toString();
        body = body.isEmpty() ? "" : body.substring(1);
        return b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    // ---------------------------------------------------------------- accounting

    /**
     * Creates or updates up to 50 contacts in one {@code POST /Contacts?summarizeErrors=false}: each element
     * succeeds or fails on its own, and the result holds one {@link ContactUpsertResult} per draft, in order.
     *
     * @throws IllegalArgumentException more than 50 contacts, a body over 3.5 MB, or a missing or too long key
     */
    public XeroResult<List<ContactUpsertResult>> upsertContacts(XeroCall call, List<ContactDraft> contacts,
            String idempotencyKey) {
        if (contacts.isEmpty() || contacts.size() > MAX_CONTACTS_PER_UPSERT) {
            throw new IllegalArgumentException("1.." + MAX_CONTACTS_PER_UPSERT + " contacts per call, not " + contacts.size());
        }
        checkIdempotencyKey(idempotencyKey);
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("Contacts");
        contacts.forEach(c -> array.add(json.valueToTree(c)));
        byte[] body;
        try {
            body = json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise contacts", e);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("request body of " + body.length + " bytes is over Xero's 3.5 MB");
        }
        HttpRequest request = accounting(call, "/Contacts?summarizeErrors=false", null)
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(request, "POST " + ACCOUNTING + "/Contacts", false, (status, text, rate) -> {
            List<Contact> returned = readList(text, "Contacts", Contact.class);
            if (returned.size() != contacts.size()) {
                throw new UnparseableException("sent " + contacts.size() + " contacts, Xero returned " + returned.size());
            }
            List<ContactUpsertResult> results = new ArrayList<>(contacts.size());
            for (int i = 0; i < contacts.size(); i++) {
                Contact c = returned.get(i);
                List<String> errors = c.validationMessages();
                if (errors.isEmpty() && c.failedValidation()) {
                    errors = List.of("HasValidationErrors without a message");
                }
                results.add(new ContactUpsertResult(contacts.get(i), c, errors));
            }
            return new XeroResult.Ok<>(List.copyOf(results), rate);
        });
    }

    public XeroResult<List<Contact>> getContacts(XeroCall call, ContactQuery query) {
        return getList(call, "/Contacts", query.queryString(), query.modifiedSince(), "Contacts", Contact.class);
    }

    public XeroResult<List<Invoice>> getInvoices(XeroCall call, InvoiceQuery query) {
        return getList(call, "/Invoices", query.queryString(), query.modifiedSince(), "Invoices", Invoice.class);
    }

    public XeroResult<List<Payment>> getPayments(XeroCall call, TransactionQuery query) {
        return getList(call, "/Payments", query.queryString(), query.modifiedSince(), "Payments", Payment.class);
    }

    public XeroResult<List<CreditNote>> getCreditNotes(XeroCall call, TransactionQuery query) {
        return getList(call, "/CreditNotes", query.queryString(), query.modifiedSince(), "CreditNotes", CreditNote.class);
    }

    public XeroResult<List<Prepayment>> getPrepayments(XeroCall call, TransactionQuery query) {
        return getList(call, "/Prepayments", query.queryString(), query.modifiedSince(), "Prepayments", Prepayment.class);
    }

    public XeroResult<List<Overpayment>> getOverpayments(XeroCall call, TransactionQuery query) {
        return getList(call, "/Overpayments", query.queryString(), query.modifiedSince(), "Overpayments",
                Overpayment.class);
    }

    /**
     * The invoice as Xero renders it, streamed ({@code GET /Invoices/{id}} with {@code Accept: application/pdf}).
     * On {@link XeroResult.Ok} the caller must close the {@link PdfDocument}.
     */
    public XeroResult<PdfDocument> getInvoicePdf(XeroCall call, String invoiceId) {
        String path = "/Invoices/" + QueryString.encode(invoiceId);
        HttpRequest request = accounting(call, path, null).setHeader("Accept", "application/pdf").GET().build();
        String endpoint = "GET " + ACCOUNTING + "/Invoices/{InvoiceID} (application/pdf)";
        HttpResponse<InputStream> response;
        try {
            response = exchange(request, HttpResponse.BodyHandlers.ofInputStream(), endpoint);
        } catch (TransportFailure failure) {
            return new XeroResult.Transient<>(failure.getMessage());
        }
        RateHeaders rate = RateHeaders.from(response.headers());
        if (response.statusCode() == 200) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith("application/pdf")) {
                closeQuietly(response.body());
                return new XeroResult.UnexpectedResponse<>(endpoint, 200, "Content-Type " + type + ", not application/pdf");
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            return new XeroResult.Ok<>(new PdfDocument(response.body(), length), rate);
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new XeroResult.Transient<>(e.getClass().getSimpleName() + " reading error of " + endpoint);
        }
        return failure(endpoint, response.statusCode(), response.headers(), text, false);
    }

    /**
     * @throws IllegalArgumentException a query longer than Xero's front door takes ({@link FilterChunks}): Xero
     *     would answer 404, which reads as "not there"
     */
    private <T> XeroResult<List<T>> getList(XeroCall call, String path, String query, Instant modifiedSince,
            String arrayName, Class<T> type) {
        if (!FilterChunks.fits(query)) {
            throw new IllegalArgumentException("a query of " + FilterChunks.sentLength(query) + " characters on " + path
                    + " is over Xero's " + FilterChunks.MAX_QUERY_LENGTH + ": split it with FilterChunks");
        }
        HttpRequest request = accounting(call, path + query, modifiedSince).GET().build();
        return send(request, "GET " + ACCOUNTING + path, false, (status, body, rate) -> {
            if (status == 304) {
                return new XeroResult.Ok<>(List.of(), rate);
            }
            return new XeroResult.Ok<>(readList(body, arrayName, type), rate);
        });
    }

    /**
     * The Accounting API resource an endpoint of this client's outcomes names: {@code Invoices} of
     * {@code GET /api.xro/2.0/Invoices/{InvoiceID} (application/pdf)}; empty for any other endpoint.
     */
    static String resourceOf(String endpoint) {
        String prefix = ACCOUNTING + "/";
        int at = endpoint == null ? -1 : endpoint.indexOf(prefix);
        if (at < 0) {
            return "";
        }
        String rest = endpoint.substring(at + prefix.length());
        int end = rest.length();
        for (char stop : new char[] {'/', ' ', '?'}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end);
    }

    private HttpRequest.Builder accounting(XeroCall call, String pathAndQuery, Instant modifiedSince) {
        HttpRequest.Builder b = bearer(endpoints.accounting(pathAndQuery), call.accessToken())
                .header("xero-tenant-id", call.tenantId()).header("Accept", "application/json");
        if (modifiedSince != null) {
            b.header("If-Modified-Since", XeroDates.formatIfModifiedSince(modifiedSince));
        }
        return b;
    }

    private HttpRequest.Builder bearer(URI uri, String accessToken) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + accessToken);
    }

    /**
     * Reads the array {@code arrayName} of Xero's envelope by streaming, so that amounts go straight from
     * the JSON text into {@link java.math.BigDecimal} with their scale (a tree would pass them through double).
     */
    private <T> List<T> readList(String body, String arrayName, Class<T> type) throws IOException {
        JavaType listType = json.getTypeFactory().constructCollectionType(List.class, type);
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnparseableException("not a JSON object");
            }
            List<T> found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (arrayName.equals(field) && value == JsonToken.START_ARRAY) {
                    found = json.readValue(p, listType);
                } else {
                    p.skipChildren();
                }
            }
            if (found == null) {
                throw new UnparseableException("no " + arrayName + " array");
            }
            return List.copyOf(found);
        }
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new IllegalArgumentException("an Idempotency-Key of 1.." + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters is required");
        }
    }

    // ---------------------------------------------------------------- response handling

    @FunctionalInterface
    private interface SuccessParser<T> {
        XeroResult<T> parse(int status, String body, RateHeaders rate) throws IOException;
    }

    /** A success body that parsed but does not hold what Xero always sends. */
    private static final class UnparseableException extends IOException {
        UnparseableException(String message) {
            super(message);
        }
    }

    /** The request did not get an answer from Xero: always worth trying again later. */
    private static final class TransportFailure extends Exception {
        TransportFailure(String detail) {
            super(detail, null, false, false);
        }
    }

    /** Sends one request; a timeout, an I/O error or an interrupt becomes a {@link TransportFailure}. */
    private <B> HttpResponse<B> exchange(HttpRequest request, HttpResponse.BodyHandler<B> body, String endpoint)
            throws TransportFailure {
        try {
            return http.send(request, body);
        } catch (HttpTimeoutException e) {
            throw new TransportFailure("timed out: " + endpoint);
        } catch (IOException e) {
            throw new TransportFailure(e.getClass().getSimpleName() + " on " + endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportFailure("interrupted: " + endpoint);
        }
    }

    private <T> XeroResult<T> send(HttpRequest request, String endpoint, boolean identity, SuccessParser<T> onSuccess) {
        HttpResponse<String> response;
        try {
            response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), endpoint);
        } catch (TransportFailure failure) {
            return new XeroResult.Transient<>(failure.getMessage());
        }
        int status = response.statusCode();
        RateHeaders rate = RateHeaders.from(response.headers());
        if (status == 200 || status == 204 || status == 304) {
            try {
                return onSuccess.parse(status, response.body(), rate);
            } catch (IOException | RuntimeException e) {
                // Identity responses hold tokens: never echo any of their text.
                String why = identity ? "unparseable token response" : "unparseable body: " + shortMessage(e);
                return new XeroResult.UnexpectedResponse<>(endpoint, status, why);
            }
        }
        return failure(endpoint, status, response.headers(), response.body(), identity);
    }

    private <T> XeroResult<T> failure(String endpoint, int status, HttpHeaders headers, String body, boolean identity) {
        RateHeaders rate = RateHeaders.from(headers);
        JsonNode node = parseQuietly(body);
        if (identity && node != null && text(node, "error") != null && status >= 400 && status < 500 && status != 429) {
            return new XeroResult.IdentityError<>(text(node, "error"), text(node, "error_description"));
        }
        if (status == 429) {
            String problem = headers.firstValue("X-Rate-Limit-Problem").map(p -> p.trim().toLowerCase(Locale.ROOT))
                    .orElse(null);
            Duration retryAfter = headers.firstValue("Retry-After").map(XeroClient::seconds).orElse(null);
            return new XeroResult.RateLimited<>(problem, retryAfter, rate);
        }
        if (status >= 500) {
            return new XeroResult.Transient<>(endpoint + " answered " + status + detailSuffix(node));
        }
        switch (status) {
            case 400: {
                List<String> messages = validationMessages(node);
                if (messages.isEmpty()) {
                    return new XeroResult.UnexpectedResponse<>(endpoint, status, "400 without Xero's error body");
                }
                return new XeroResult.ValidationFailed<>(messages, rate);
            }
            case 401:
                return new XeroResult.Unauthorized<>(problemDetail(node, "Unauthorized"));
            case 403:
                return new XeroResult.Forbidden<>(endpoint, problemDetail(node, "Forbidden"));
            case 404:
                return new XeroResult.NotFound<>(endpoint);
            default:
                return new XeroResult.UnexpectedResponse<>(endpoint, status, "unexpected status" + detailSuffix(node));
        }
    }

    /** Xero's messages from a 400: every element's ValidationErrors, else the top-level Message. */
    private static List<String> validationMessages(JsonNode node) {
        List<String> messages = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return messages;
        }
        for (JsonNode element : node.path("Elements")) {
            for (JsonNode error : element.path("ValidationErrors")) {
                String m = text(error, "Message");
                if (m != null) {
                    messages.add(m);
                }
            }
        }
        if (messages.isEmpty()) {
            String m = text(node, "Message");
            if (m == null) {
                m = text(node, "Detail");
            }
            if (m != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    /** The Detail (else Title) of Xero's problem body for 401 and 403, e.g. AuthenticationUnsuccessful. */
    private static String problemDetail(JsonNode node, String fallback) {
        if (node != null && node.isObject()) {
            for (String field : List.of("Detail", "detail", "Title", "title", "Message")) {
                String t = text(node, field);
                if (t != null && !t.isBlank()) {
                    return t;
                }
            }
        }
        return fallback;
    }

    private static String detailSuffix(JsonNode node) {
        String d = node == null ? null : problemDetail(node, null);
        return d == null ? "" : ": " + d;
    }

    private JsonNode parseQuietly(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String shortMessage(Exception e) {
        String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
