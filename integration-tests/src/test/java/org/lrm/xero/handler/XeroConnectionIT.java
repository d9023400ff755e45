package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.xero.ContactQuery;
import org.lrm.xero.adapter.xero.XeroCall;
import org.lrm.xero.adapter.xero.XeroResult;
import org.lrm.xero.app.connection.TokenRefreshFailed;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.XeroApp;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Connecting an organisation to Xero through the HTTP handlers, against the Xero sandbox and moto, and
 * the token vault's behaviour across expiry, lost answers, revocation and concurrency.
 */
@ExtendWith(AwsEmulator.class)
class XeroConnectionIT {

    private static final String CLIENT_ID = "lrm-integration";
    private static final String CLIENT_SECRET = "app-secret-" + UUID.randomUUID();
    private static final String HOST = "api.test.local";
    private static final String RETURN_TO = "https://lrm.example.org/settings/connected-apps?tab=xero";
    private static final String FALLBACK = "https://lrm.example.org/settings";
    /** Polls without sleeping: the other instance's refresh is a few local calls away. */
    private static final Waiter SPIN = attempt -> Thread.yield();

    private static XeroSandbox sandbox;
    private static SandboxAdminClient admin;
    private static TokenEndpointProxy identity;

    private final AwsClients aws = AwsEmulator.clients();
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final List<APIGatewayV2HTTPResponse> responses = new CopyOnWriteArrayList<>();
    private MutableClock clock;
    private TemplateResources stack;
    private FunctionRoles roles;
    private Settings settings;
    private ConnectionComponents components;
    private ConnectionApiHandler api;
    private OAuthCallbackHandler callback;
    private String table;
    private String org;
    private String tenant;

    @BeforeAll
    static void startXero() throws IOException {
        sandbox = XeroSandbox.start(0);
        admin = new SandboxAdminClient(sandbox.baseUri());
        admin.registerApp(CLIENT_ID, CLIENT_SECRET, List.of("https://" + HOST + "/v1/xero/callback"), null, null);
        identity = new TokenEndpointProxy(sandbox.baseUri());
    }

    @AfterAll
    static void stopXero() {
        identity.close();
        sandbox.close();
    }

    @BeforeEach
    void setUp() {
        AwsEmulator.reset();
        stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1").provision(aws);
        roles = new FunctionRoles(stack, aws);
        Map<String, String> env = new HashMap<>(stack.environment("ConnectionApiFunction"));
        env.put("XERO_IDENTITY_URL", identity.baseUri().toString());
        env.put("XERO_LOGIN_URL", sandbox.baseUri().toString());
        env.put("XERO_API_URL", sandbox.baseUri().toString());
        env.put("XERO_CONNECT_FALLBACK_URL", FALLBACK);
        settings = Settings.fromEnvironment(env);
        table = settings.tableName();
        new XeroApp(CLIENT_ID, CLIENT_SECRET, "wk").store(aws, stack);
        clock = new MutableClock(admin.now());
        components = instance();
        api = new ConnectionApiHandler(instanceOf("ConnectionApiFunction").connections(), settings);
        callback = new OAuthCallbackHandler(instanceOf("OAuthCallbackFunction").connections(), settings);
        org = "org-" + UUID.randomUUID();
        tenant = admin.createTenant("Northside College " + org.substring(4, 10), null);
        identity.clear();
        JsonLog.sink(logs::add);
    }

    @AfterEach
    void noTokenLeaked() {
        JsonLog.sinkToStdout();
        Set<String> tokens = identity.issuedTokens();
        String everything = String.join("\n", logs) + "\n" + responsesText() + "\n" + scan().toString();
        for (String token : tokens) {
            assertThat(everything).as("a token reached the logs, a response or DynamoDB").doesNotContain(token);
        }
        assertThat(everything).doesNotContain(CLIENT_SECRET);
    }

    // ---------------------------------------------------------------- the connect flow

    @Test
    void anAdminConnectsAndTheStatusShowsTheXeroOrganisation() {
        Map<String, String> back = connect(org, tenant);

        assertThat(back).containsEntry("xero", "connected").containsKey("tenantName").doesNotContainKey("missingScopes");
        JsonNode status = status(org);
        assertThat(status.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(status.get("tenantId").asText()).isEqualTo(tenant);
        assertThat(status.get("tenantName").asText()).startsWith("Northside College");
        assertThat(status.get("connectedAt").isNull()).isFalse();
        assertThat(status.get("lastError").isNull()).isTrue();
        assertThat(status.has("budget")).isTrue();
        assertThat(new DynamoConnectionStore(aws.dynamoDb(), table).findOrgByTenant(tenant)).contains(org);

        // The token works, and the budget of Xero's latest answer shows in the status.
        XeroResult<?> contacts = components.xero().getContacts(
                new XeroCall(tenant, components.tokens().accessToken(org)), ContactQuery.all());
        assertThat(contacts).isInstanceOf(XeroResult.Ok.class);
        var rate = ((XeroResult.Ok<?>) contacts).rate();
        components.store().recordBudget(org, rate.minuteRemaining(), rate.dayRemaining(), clock.instant());
        assertThat(status(org).get("budget").get("minuteRemaining").asInt()).isEqualTo(rate.minuteRemaining());
        assertThat(status(org).get("budget").get("dayRemaining").asInt()).isEqualTo(rate.dayRemaining());
    }

    @Test
    void connectSendsTheAdminToXeroWithStatePkceAndGranularScopes() {
        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(org, "admin", "u-admin").build());
        assertThat(r.getStatusCode()).isEqualTo(302);
        Map<String, String> q = query(URI.create(r.getHeaders().get("location")));
        assertThat(q).containsEntry("client_id", CLIENT_ID).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", "https://" + HOST + "/v1/xero/callback")
                .containsEntry("scope", "offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read");
        assertThat(q.get("state")).hasSize(43);
        assertThat(q.get("code_challenge")).hasSize(43);

        APIGatewayV2HTTPResponse bad = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", "/relative")
                .as(org, "admin", "u-admin").build());
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(bad.getHeaders().get("content-type")).isEqualTo("application/problem+json");
        assertThat(bad.getBody()).contains("returnTo");
        assertThat(handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(org, "staff", "u-staff").build()).getStatusCode()).isEqualTo(403);
    }

    @Test
    void aScriptHoldingTheTokenGetsTheAuthorizeUrlAsJson() throws Exception {
        // The console calls with its bearer token and cannot read a redirect, so it asks for JSON and navigates.
        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .header("accept", "application/json").as(org, "admin", "u-admin").build());
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders().get("content-type")).isEqualTo("application/json");
        URI authorize = URI.create(Json.MAPPER.readTree(r.getBody()).get("authorizeUrl").asText());
        Map<String, String> q = query(authorize);
        assertThat(q).containsEntry("client_id", CLIENT_ID).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", "https://" + HOST + "/v1/xero/callback");
        assertThat(q.get("state")).hasSize(43);
        assertThat(handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .header("accept", "application/json").as(org, "staff", "u-staff").build()).getStatusCode()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- concurrency and expiry

    @Test
    void twentyInstancesNeedingATokenAcrossAnExpiryRefreshExactlyOnce() throws Exception {
        connect(org, tenant);
        String before = components.tokens().accessToken(org);
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();

        int workers = 20;
        List<ConnectionComponents> instances = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            instances.add(instance());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<XeroResult<?>>> results = new ArrayList<>();
        List<String> tokens = new CopyOnWriteArrayList<>();
        try {
            for (ConnectionComponents instance : instances) {
                Callable<XeroResult<?>> work = () -> {
                    go.await();
                    String token = instance.tokens().accessToken(org);
                    tokens.add(token);
                    return instance.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all());
                };
                results.add(pool.submit(work));
            }
            go.countDown();
            for (Future<XeroResult<?>> f : results) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isInstanceOf(XeroResult.Ok.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(identity.refreshes()).hasSize(1);
        assertThat(identity.invalidGrants()).isZero();
        assertThat(Set.copyOf(tokens)).hasSize(1).doesNotContain(before);
        assertThat(scanItem("ORG#" + org, "TOKENLEASE")).isEmpty();
    }

    @Test
    void aLeaseLeftByACrashedInstanceDoesNotBlockTheRefresh() {
        connect(org, tenant);
        Map<String, AttributeValue> lease = new HashMap<>();
        lease.put("pk", AttributeValue.fromS("ORG#" + org));
        lease.put("sk", AttributeValue.fromS("TOKENLEASE"));
        lease.put("holder", AttributeValue.fromS("crashed-instance"));
        lease.put("expiresAtMillis", AttributeValue.fromN(Long.toString(clock.instant().plusSeconds(60).toEpochMilli())));
        aws.dynamoDb().putItem(b -> b.tableName(table).item(lease));
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();

        String token = instance().tokens().accessToken(org);

        assertThat(identity.refreshes()).hasSize(1);
        assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).isTrue();
    }

    @Test
    void aRefreshAnswerLostInTransitIsRecoveredWithinTheGracePeriod() {
        connect(org, tenant);
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();

        // Lost once: the same refresh token is sent again at once and Xero honours it.
        identity.dropNextRefreshAnswers(1);
        String token = components.tokens().accessToken(org);
        assertThat(identity.refreshes()).hasSize(2).extracting(TokenEndpointProxy.Refresh::refreshTokenSent)
                .containsOnly(identity.refreshes().get(0).refreshTokenSent());
        assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).isTrue();

        // Lost on every attempt of one Lambda: it gives up for now, and a later one recovers inside the grace.
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();
        identity.dropNextRefreshAnswers(3);
        ConnectionComponents unlucky = instance();
        assertThatThrownBy(() -> unlucky.tokens().accessToken(org)).isInstanceOf(TokenRefreshFailed.class);
        assertThat(status(org).get("status").asText()).isEqualTo("CONNECTED");
        admin.advanceClock(10 * 60);
        clock.advance(Duration.ofMinutes(10));
        String recovered = instance().tokens().accessToken(org);
        assertThat(components.xero().getContacts(new XeroCall(tenant, recovered), ContactQuery.all()).isOk()).isTrue();
        assertThat(identity.refreshes()).hasSize(4).extracting(TokenEndpointProxy.Refresh::refreshTokenSent)
                .containsOnly(identity.refreshes().get(0).refreshTokenSent());

        // The chain goes on from the token Xero rotated to.
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        String next = instance().tokens().accessToken(org);
        assertThat(components.xero().getContacts(new XeroCall(tenant, next), ContactQuery.all()).isOk()).isTrue();
        assertThat(identity.invalidGrants()).isZero();
    }

    @Test
    void idleConnectionsAreRefreshedBeforeXerosSixtyDaysRunOut() {
        connect(org, tenant);
        admin.advanceClock(Duration.ofDays(31).toSeconds());
        clock.advance(Duration.ofDays(31));
        identity.clear();

        ConnectionComponents nightly = instanceOf("NightlySyncFunction");
        assertThat(nightly.tokens().refreshIdleConnections(clock.instant())).isEqualTo(1);
        assertThat(nightly.tokens().refreshIdleConnections(clock.instant())).isZero();
        assertThat(identity.refreshes()).hasSize(1);

        // 31 + 31 days: past 60 days from the connect, the refreshed chain still works.
        admin.advanceClock(Duration.ofDays(31).toSeconds());
        clock.advance(Duration.ofDays(31));
        String token = components.tokens().accessToken(org);
        assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).isTrue();
        assertThat(identity.invalidGrants()).isZero();
    }

    /**
     * Whichever function meets an expired access token first renews it, under its own role: each
     * function that holds tokens, its connection objects built as its composition root builds them
     * with its role's clients, renews once (the lease, the app's OAuth client, the organisation's
     * secret written again), and the renewed token works.
     */
    @Test
    void everyFunctionThatHoldsTokensRenewsThemUnderItsOwnRole() {
        connect(org, tenant);
        for (String function : List.of("ConnectionApiFunction", "InvoiceApiFunction", "LearnerSyncWorkerFunction",
                "InvoiceWorkerFunction", "ResyncPageWorkerFunction", "PdfWorkerFunction", "NightlySyncFunction",
                "TransactionPollFunction")) {
            admin.advanceClock(31 * 60);
            clock.advance(Duration.ofMinutes(31));
            identity.clear();

            String token = instanceOf(function).tokens().accessToken(org);

            assertThat(identity.refreshes()).as("%s renewed the token", function).hasSize(1);
            assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).as(function).isTrue();
        }
        assertThat(identity.invalidGrants()).isZero();
    }

    // ---------------------------------------------------------------- losing and restoring the connection

    @Test
    void aDisconnectMadeInXeroNeedsAReconnectAndConnectingAgainRestoresIt() {
        connect(org, tenant);
        admin.revokeConnection(tenant);

        String token = components.tokens().accessToken(org);
        XeroResult<?> refused = components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all());
        assertThat(refused).isInstanceOf(XeroResult.Forbidden.class);
        components.tokens().connectionLost(org, "Xero refused access to the organisation (403): it was disconnected in Xero.");

        assertThatThrownBy(() -> instance().tokens().accessToken(org)).isInstanceOfSatisfying(ConnectionUnavailable.class,
                e -> assertThat(e.status()).isEqualTo("NEEDS_RECONNECT"));
        JsonNode lost = status(org);
        assertThat(lost.get("status").asText()).isEqualTo("NEEDS_RECONNECT");
        assertThat(lost.get("lastError").asText()).contains("disconnected in Xero");

        assertThat(connect(org, tenant)).containsEntry("xero", "connected");
        assertThat(status(org).get("status").asText()).isEqualTo("CONNECTED");
        assertThat(status(org).get("lastError").isNull()).isTrue();
        String again = instance().tokens().accessToken(org);
        assertThat(components.xero().getContacts(new XeroCall(tenant, again), ContactQuery.all()).isOk()).isTrue();
    }

    @Test
    void aRefreshTokenXeroRefusesNeedsAReconnect() {
        connect(org, tenant);
        // Unused for over 60 days: Xero answers invalid_grant.
        admin.advanceClock(Duration.ofDays(61).toSeconds());
        clock.advance(Duration.ofDays(61));

        assertThatThrownBy(() -> components.tokens().accessToken(org)).isInstanceOfSatisfying(ConnectionUnavailable.class,
                e -> assertThat(e.status()).isEqualTo("NEEDS_RECONNECT"));
        assertThat(status(org).get("status").asText()).isEqualTo("NEEDS_RECONNECT");
        assertThat(status(org).get("lastError").asText()).contains("invalid_grant");
        assertThat(identity.invalidGrants()).isEqualTo(1);
    }

    @Test
    void disconnectDeletesTheXeroConnectionRevokesAndEmptiesTheVault() {
        connect(org, tenant);
        String token = components.tokens().accessToken(org);

        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("DELETE /v1/xero/connection").as(org, "admin", "u-1").build());

        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(status(org).get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).secretString()).isEqualTo("{}");
        assertThat(new DynamoConnectionStore(aws.dynamoDb(), table).findOrgByTenant(tenant)).isEmpty();
        assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).isFalse();
        assertThatThrownBy(() -> instance().tokens().accessToken(org)).isInstanceOf(ConnectionUnavailable.class);
        assertThat(handle(api, ApiEvents.route("DELETE /v1/xero/connection").as(org, "staff", "u-2").build())
                .getStatusCode()).isEqualTo(403);
    }

    @Test
    void anOrganisationWithLinkedLearnersCannotSwitchToAnotherXeroOrganisation() {
        connect(org, tenant);
        aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("ORG#" + org),
                "sk", AttributeValue.fromS("CONTACT#c-1"), "learnerId", AttributeValue.fromS("L-1"))));
        String versionBefore = aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId();
        String other = admin.createTenant("Another Org", null);

        Map<String, String> back = connect(org, other);

        assertThat(back).containsEntry("xero", "error").containsEntry("reason", "different_organisation");
        assertThat(back.get("message")).contains("Northside College");
        JsonNode status = status(org);
        assertThat(status.get("tenantId").asText()).isEqualTo(tenant);
        assertThat(status.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(new DynamoConnectionStore(aws.dynamoDb(), table).findOrgByTenant(other)).isEmpty();
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId()).isEqualTo(versionBefore);
    }

    @Test
    void anOrganisationWithoutLinkedLearnersMaySwitchToAnotherXeroOrganisation() {
        connect(org, tenant);
        String other = admin.createTenant("Southside College " + org.substring(4, 10), null);

        Map<String, String> back = connect(org, other);

        assertThat(back).containsEntry("xero", "connected");
        assertThat(status(org).get("tenantId").asText()).isEqualTo(other);
        DynamoConnectionStore store = new DynamoConnectionStore(aws.dynamoDb(), table);
        assertThat(store.findOrgByTenant(other)).contains(org);
        assertThat(store.findOrgByTenant(tenant)).as("the first organisation's link is gone with the switch").isEmpty();
    }

    // ---------------------------------------------------------------- bad callbacks store nothing

    @Test
    void anUnknownStateGoesBackWithAnErrorAndStoresNothing() {
        APIGatewayV2HTTPResponse r = handle(callback, ApiEvents.route("GET /v1/xero/callback")
                .query("code", "whatever").query("state", "not-a-state-we-made").build());
        assertThat(outcome(r)).containsEntry("xero", "error").containsEntry("reason", "unknown_state");
        assertThat(r.getHeaders().get("location")).startsWith(FALLBACK + "?");
        assertNothingStored();

        Map<String, String> env = new HashMap<>(settings.env());
        env.remove("XERO_CONNECT_FALLBACK_URL");
        OAuthCallbackHandler withoutFallback = new OAuthCallbackHandler(instanceOf("OAuthCallbackFunction").connections(),
                Settings.fromEnvironment(env));
        APIGatewayV2HTTPResponse page = handle(withoutFallback, ApiEvents.route("GET /v1/xero/callback")
                .query("state", "not-a-state-we-made").build());
        assertThat(page.getStatusCode()).isEqualTo(400);
        assertThat(page.getBody()).contains("unknown_state");
    }

    @Test
    void anExpiredStateGoesBackWithAnErrorAndStoresNothing() {
        admin.consent(List.of(tenant));
        Map<String, String> xero = authorize(startConnect(org));
        clock.advance(Duration.ofMinutes(11));

        assertThat(finish(xero)).containsEntry("xero", "error").containsEntry("reason", "state_expired");
        assertNothingStored();
    }

    @Test
    void aXeroErrorGoesBackWithAnErrorAndStoresNothing() {
        URI authorize = startConnect(org);
        Map<String, String> back = finish(Map.of("state", query(authorize).get("state"), "error", "access_denied"));
        assertThat(back).containsEntry("xero", "error").containsEntry("reason", "access_denied");
        assertNothingStored();
    }

    @Test
    void aCodeXeroRefusesGoesBackWithAnErrorAndStoresNothing() {
        URI authorize = startConnect(org);
        Map<String, String> back = finish(Map.of("state", query(authorize).get("state"), "code", "not-a-code"));
        assertThat(back).containsEntry("xero", "error").containsEntry("reason", "code_exchange_failed");
        assertNothingStored();
    }

    @Test
    void aReusedStateGoesBackWithAnErrorAndChangesNothing() {
        admin.consent(List.of(tenant));
        Map<String, String> xero = authorize(startConnect(org));
        assertThat(finish(xero)).containsEntry("xero", "connected");
        List<Map<String, AttributeValue>> tableBefore = scan();
        String versionBefore = aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId();

        assertThat(finish(xero)).containsEntry("xero", "error").containsEntry("reason", "state_reused");
        assertThat(scan()).containsExactlyInAnyOrderElementsOf(tableBefore);
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId()).isEqualTo(versionBefore);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Another Lambda instance of a function that calls Xero (the learner-sync worker): its own token
     * cache, clients and lease holder id, under its role; the same AWS resources.
     */
    private ConnectionComponents instance() {
        return instanceOf("LearnerSyncWorkerFunction");
    }

    private ConnectionComponents instanceOf(String functionId) {
        return ConnectionComponents.create(settings, roles.clients(functionId), clock, SPIN);
    }

    /** Connect -> Xero authorize (consenting to the tenant) -> callback; the parameters the browser came back with. */
    private Map<String, String> connect(String orgId, String tenantId) {
        admin.consent(List.of(tenantId));
        return finish(authorize(startConnect(orgId)));
    }

    private URI startConnect(String orgId) {
        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(orgId, "admin", "u-admin").build());
        assertThat(r.getStatusCode()).isEqualTo(302);
        return URI.create(r.getHeaders().get("location"));
    }

    /** The browser at Xero: the sandbox consents at once and redirects to our callback. */
    private Map<String, String> authorize(URI authorizeUrl) {
        try {
            HttpResponse<String> r = browser.send(HttpRequest.newBuilder(authorizeUrl).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(302);
            URI back = URI.create(r.headers().firstValue("location").orElseThrow());
            assertThat(back.getHost()).isEqualTo(HOST);
            assertThat(back.getPath()).isEqualTo("/v1/xero/callback");
            return query(back);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> finish(Map<String, String> params) {
        ApiEvents event = ApiEvents.route("GET /v1/xero/callback");
        params.forEach(event::query);
        return outcome(handle(callback, event.build()));
    }

    private Map<String, String> outcome(APIGatewayV2HTTPResponse r) {
        assertThat(r.getStatusCode()).isEqualTo(302);
        return query(URI.create(r.getHeaders().get("location")));
    }

    private JsonNode status(String orgId) {
        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connection").as(orgId, "staff", "u-staff").build());
        assertThat(r.getStatusCode()).isEqualTo(200);
        try {
            return Json.MAPPER.readTree(r.getBody());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private APIGatewayV2HTTPResponse handle(Object handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse r = handler instanceof ConnectionApiHandler a ? a.handleRequest(event, null)
                : ((OAuthCallbackHandler) handler).handleRequest(event, null);
        responses.add(r);
        return r;
    }

    private void assertNothingStored() {
        assertThat(scan()).allSatisfy(item -> {
            assertThat(item.get("pk").s()).startsWith("OAUTHSTATE#");
            assertThat(item).doesNotContainKey("code");
        });
        assertThat(aws.secretsManager().listSecrets().secretList())
                .noneMatch(s -> s.name().startsWith(settings.tokenSecretPrefix()));
        assertThat(status(org).get("status").asText()).isEqualTo("DISCONNECTED");
    }

    private List<Map<String, AttributeValue>> scan() {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream().toList();
    }

    private List<Map<String, AttributeValue>> scanItem(String pk, String sk) {
        return scan().stream().filter(i -> i.get("pk").s().equals(pk) && i.get("sk").s().equals(sk)).toList();
    }

    private String secretName(String orgId) {
        return settings.tokenSecretPrefix() + orgId;
    }

    private String responsesText() {
        StringBuilder b = new StringBuilder();
        for (APIGatewayV2HTTPResponse r : responses) {
            b.append(r.getHeaders()).append(' ').append(r.getBody()).append('\n');
        }
        return b.toString();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int i = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
