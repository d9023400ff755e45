package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A typed client for the sandbox's {@code /sandbox} admin routes (for tests, benchmarks and the demo). */
public final class SandboxAdminClient {
    private static final ObjectMapper M = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SandboxAdminClient(URI baseUri) { this.base = baseUri; }

    /** POST /sandbox/tenants: a new organisation; {@code dayLimit} null = Xero's 5,000. */
    public String createTenant(String name, Integer dayLimit) {
        ObjectNode b = M.createObjectNode().put("name", name);
        if (dayLimit != null) b.put("dayLimit", dayLimit);
        return call("POST", "/sandbox/tenants", b).get("tenantId").asText();
    }

    /** POST /sandbox/apps: registers (or re-registers) the integration as a Xero app; runs Intent to Receive if webhookUrl is set. */
    public JsonNode registerApp(String clientId, String clientSecret, List<String> redirectUris, String webhookUrl, String webhookKey) {
        ObjectNode b = M.createObjectNode().put("clientId", clientId).put("clientSecret", clientSecret);
        b.set("redirectUris", M.valueToTree(redirectUris));
        b.put("webhookUrl", webhookUrl);
        b.put("webhookKey", webhookKey);
        return call("POST", "/sandbox/apps", b);
    }

    /** POST /sandbox/consent: from now on authorize consents at once to these tenants (null = show the consent page). */
    public void consent(List<String> tenantIds) {
        ObjectNode b = M.createObjectNode();
        b.set("tenantIds", tenantIds == null ? null : M.valueToTree(tenantIds));
        call("POST", "/sandbox/consent", b);
    }

    /** POST /sandbox/tenants/{id}/user-token: an access token of a person working in Xero (not the app's). */
    public String userToken(String tenantId) {
        return call("POST", "/sandbox/tenants/" + tenantId + "/user-token", M.createObjectNode()).get("access_token").asText();
    }

    public void mergeContacts(String tenantId, String fromContactId, String intoContactId) {
        call("POST", "/sandbox/tenants/" + tenantId + "/contacts/merge",
                M.createObjectNode().put("fromContactId", fromContactId).put("intoContactId", intoContactId));
    }

    /** POST /sandbox/tenants/{id}/revoke: the user disconnects the app(s) from this organisation in Xero. */
    public void revokeConnection(String tenantId) {
        call("POST", "/sandbox/tenants/" + tenantId + "/revoke", M.createObjectNode());
    }

    public Instant advanceClock(long seconds) {
        return Instant.parse(call("POST", "/sandbox/clock", M.createObjectNode().put("advanceSeconds", seconds)).get("now").asText());
    }

    public Instant setClock(Instant at) {
        return Instant.parse(call("POST", "/sandbox/clock", M.createObjectNode().put("set", at.toString())).get("now").asText());
    }

    public Instant now() { return Instant.parse(call("GET", "/sandbox/clock", null).get("now").asText()); }

    /** PUT /sandbox/faults: replaces the fault settings (errorRate, latencyMs, timeoutRate, dropWebhookRate, ...). */
    public void setFaults(Map<String, Object> faults) { call("PUT", "/sandbox/faults", M.valueToTree(faults)); }

    public void clearFaults() { call("PUT", "/sandbox/faults", M.createObjectNode()); }

    public JsonNode stats() { return call("GET", "/sandbox/stats", null); }

    public JsonNode state(String tenantId) { return call("GET", "/sandbox/tenants/" + tenantId + "/state", null); }

    /** POST /sandbox/webhooks/flush: delivers pending (and due) webhook events now, synchronously. */
    public JsonNode deliverWebhooksNow() { return call("POST", "/sandbox/webhooks/flush", M.createObjectNode()); }

    private JsonNode call(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
            if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
            else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(M.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) throw new IllegalStateException("Sandbox " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
            return r.body().isEmpty() ? M.createObjectNode() : M.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("Sandbox " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
