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

    /** POST /sandbox/tenants: a new organisation on the default tier (CORE, 5,000 a day); {@code dayLimit} null = the tier's. */
    public String createTenant(String name, Integer dayLimit) {
        return createTenant(name, null, dayLimit);
    }

    /**
     * POST /sandbox/tenants: a new organisation on a Xero pricing tier ({@code STARTER}: 1,000 calls a day; {@code CORE},
     * {@code PLUS}, {@code ADVANCED}, {@code ENTERPRISE}: 5,000; null = CORE); {@code dayLimit} (null = the tier's) overrides it.
     */
    public String createTenant(String name, String tier, Integer dayLimit) {
        ObjectNode b = M.createObjectNode().put("name", name);
        if (tier != null) b.put("tier", tier);
        if (dayLimit != null) b.put("dayLimit", dayLimit);
        return call("POST", "/sandbox/tenants", b).get("tenantId").asText();
    }

    /**
     * POST /sandbox/apps: registers (or re-registers) the integration as a Xero app created now (granular scopes only),
     * its webhook subscribed to no category; runs Intent to Receive if webhookUrl is set.
     */
    public JsonNode registerApp(String clientId, String clientSecret, List<String> redirectUris, String webhookUrl, String webhookKey) {
        return registerApp(new App(clientId, clientSecret, redirectUris, webhookUrl, webhookKey, null, List.of()));
    }

    /**
     * A Xero app as registered at developer.xero.com.
     *
     * @param createdAt         when it was created (null = now): from 2026-03-02 on it may ask only for granular scopes
     * @param webhookCategories the event categories its webhook is subscribed to (CONTACT, INVOICE, CREDITNOTE, SUBSCRIPTION)
     */
    public record App(String clientId, String clientSecret, List<String> redirectUris, String webhookUrl, String webhookKey,
                      Instant createdAt, List<String> webhookCategories) {
        @Override
        public String toString() { return "App[clientId=" + clientId + ", clientSecret=***, webhookKey=***, createdAt=" + createdAt + "]"; }
    }

    /** POST /sandbox/apps: registers (or re-registers) an app; runs Intent to Receive if it has a webhook URL. */
    public JsonNode registerApp(App app) {
        ObjectNode b = M.createObjectNode().put("clientId", app.clientId()).put("clientSecret", app.clientSecret());
        b.set("redirectUris", M.valueToTree(app.redirectUris()));
        b.put("webhookUrl", app.webhookUrl());
        b.put("webhookKey", app.webhookKey());
        if (app.createdAt() != null) b.put("createdAt", app.createdAt().toString());
        b.set("webhookCategories", M.valueToTree(app.webhookCategories() == null ? List.of() : app.webhookCategories()));
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

    /**
     * GET /sandbox/contract: once every exchange served so far is checked, {@code {checked, violationCount, violations:
     * [{exchange, key, message}]}}: what did not conform to Xero's OpenAPI documents.
     */
    public JsonNode contract() { return call("GET", "/sandbox/contract", null); }

    /** DELETE /sandbox/contract: forgets the violations found so far (after a wrong request sent on purpose). */
    public void clearContract() { call("DELETE", "/sandbox/contract", null); }

    /** Fails, listing them, when any exchange so far did not conform to Xero's OpenAPI documents. */
    public void assertContractKept() {
        JsonNode c = contract();
        if (c.path("violationCount").asLong() > 0) {
            StringBuilder b = new StringBuilder(c.path("violationCount").asLong() + " Xero exchange(s) of " + c.path("checked").asLong()
                    + " broke Xero's OpenAPI documents:");
            for (JsonNode v : c.path("violations")) b.append("\n  ").append(v.path("exchange").asText()).append(": ").append(v.path("message").asText())
                    .append(" [").append(v.path("key").asText()).append(']');
            throw new AssertionError(b.toString());
        }
    }

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
