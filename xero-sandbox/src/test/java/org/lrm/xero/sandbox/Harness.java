package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test harness: an in-process sandbox, one tenant, one app connected through the real OAuth flow. */
final class Harness implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();
    static final String CLIENT_ID = "lrm-client", SECRET = "lrm-secret", REDIRECT = "http://127.0.0.1:9/callback";

    final XeroSandbox sandbox = XeroSandbox.start(0);
    final SandboxAdminClient admin = new SandboxAdminClient(sandbox.baseUri());
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String tenantId;
    String accessToken;
    String refreshToken;

    /** Every granular scope the tests reach resources with (the app is new: broad scopes are refused). */
    static final String SCOPES = "offline_access accounting.contacts accounting.invoices accounting.payments accounting.banktransactions accounting.settings";

    /** A new app, its webhook (if any) subscribed to every category the sandbox raises. */
    static Harness connected(String webhookUrl, String webhookKey) throws Exception {
        Harness h = new Harness();
        h.tenantId = h.admin.createTenant("Acme Learning", null);
        h.admin.registerApp(new SandboxAdminClient.App(CLIENT_ID, SECRET, List.of(REDIRECT), webhookUrl, webhookKey, null,
                List.of("CONTACT", "INVOICE", "CREDITNOTE")));
        h.admin.consent(List.of(h.tenantId));
        JsonNode tokens = h.authorize(SCOPES);
        h.accessToken = tokens.get("access_token").asText();
        h.refreshToken = tokens.get("refresh_token").asText();
        return h;
    }

    JsonNode authorize(String scope) throws Exception {
        String q = "response_type=code&client_id=" + CLIENT_ID + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc(scope) + "&state=xyz";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sandbox.baseUri().resolve("/identity/connect/authorize?" + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 302) throw new IllegalStateException("authorize -> " + r.statusCode() + " " + r.body());
        String loc = r.headers().firstValue("Location").orElseThrow();
        if (loc.contains("error=")) throw new IllegalStateException("authorize refused: " + loc);
        String code = loc.replaceAll(".*[?&]code=([^&]+).*", "$1");
        return token(Map.of("grant_type", "authorization_code", "code", java.net.URLDecoder.decode(code, StandardCharsets.UTF_8), "redirect_uri", REDIRECT)).json();
    }

    Res token(Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(sandbox.baseUri().resolve("/connect/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    static String form(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return b.toString();
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    record Res(int status, Map<String, List<String>> headers, byte[] body) {
        JsonNode json() {
            try { return M.readTree(body); } catch (Exception e) { throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e); }
        }
        String header(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    Res send(HttpRequest req) throws Exception {
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return new Res(r.statusCode(), r.headers().map(), r.body());
    }

    Res api(String method, String path, String json, Map<String, String> headers) throws Exception {
        return api(accessToken, method, path, json, headers);
    }

    Res api(String token, String method, String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(sandbox.baseUri().resolve("/api.xro/2.0/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("xero-tenant-id", tenantId)
                .header("Accept", "application/json");
        Map<String, String> hs = headers == null ? new LinkedHashMap<>() : headers;
        hs.forEach(b::setHeader);
        if (json == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    Res get(String path) throws Exception { return api("GET", path, null, null); }
    Res post(String path, String json) throws Exception { return api("POST", path, json, null); }
    Res put(String path, String json) throws Exception { return api("PUT", path, json, null); }

    /** Creates a contact and returns its id. */
    String contact(String name) throws Exception {
        Res r = put("Contacts", "{\"Contacts\":[{\"Name\":\"" + name + "\"}]}");
        if (r.status() != 200) throw new IllegalStateException(r.text());
        return r.json().get("Contacts").get(0).get("ContactID").asText();
    }

    /** An AUTHORISED ACCREC invoice of the given lines JSON. */
    JsonNode invoice(String contactId, String linesJson, String lineAmountTypes) throws Exception {
        Res r = put("Invoices", "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\"" + contactId + "\"},\"Date\":\"2026-03-01\",\"DueDate\":\"2026-03-31\","
                + "\"LineAmountTypes\":\"" + lineAmountTypes + "\",\"Status\":\"AUTHORISED\",\"LineItems\":" + linesJson + "}]}");
        if (r.status() != 200) throw new IllegalStateException(r.text());
        return r.json().get("Invoices").get(0);
    }

    @Override
    public void close() { sandbox.close(); }
}
