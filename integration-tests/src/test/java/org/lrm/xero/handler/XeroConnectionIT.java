package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
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
import org.lrm.xero.adapter.xero.Connection;
import org.lrm.xero.adapter.xero.ContactQuery;
import org.lrm.xero.adapter.xero.XeroCall;
import org.lrm.xero.adapter.xero.XeroResult;
import org.lrm.xero.app.connection.TokenRefreshFailed;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.domain.connection.BrowserNonce;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.WorkerRig;
import org.lrm.xero.testing.XeroApp;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Connecting an organisation to Xero through the HTTP handlers, against the Xero sandbox and moto, only in
 * the browser of the admin who started it and back only to the LRM's origins, and the token vault's
 * behaviour across expiry, lost answers, revocation, concurrency and snapshot restores.
 */
@ExtendWith(AwsEmulator.class)
class XeroConnectionIT {

    private static final String CLIENT_ID = "lrm-integration";
    private static final String CLIENT_SECRET = "app-secret-" + UUID.randomUUID();
    private static final String HOST = "api.test.local";
    private static final String LRM_ORIGIN = "https://lrm.example.org";
    private static final String RETURN_TO = LRM_ORIGIN + "/settings/connected-apps?tab=xero";
    private static final String FALLBACK = LRM_ORIGIN + "/settings";
    private static final String COOKIE = "__Host-xero-connect";
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
    private Map<String, String> env;
    private Settings settings;
    private ConnectionRoot components;
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
        try {
            admin.assertContractKept();
        } finally {
            sandbox.close();
        }
    }

    @BeforeEach
    void setUp() {
        AwsEmulator.reset();
        stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local", "LrmOrigins", LRM_ORIGIN,
                "ConnectFallbackUrl", FALLBACK), "us-east-1").provision(aws);
        roles = new FunctionRoles(stack, aws);
        env = new HashMap<>(stack.environment("ConnectionApiFunction"));
        env.put("XERO_IDENTITY_URL", identity.baseUri().toString());
        env.put("XERO_LOGIN_URL", sandbox.baseUri().toString());
        env.put("XERO_API_URL", sandbox.baseUri().toString());
        settings = Settings.from(env);
        table = settings.tableName();
        new XeroApp(CLIENT_ID, CLIENT_SECRET, XeroApp.randomWebhookKey()).store(aws, stack);
        clock = new MutableClock(admin.now());
        components = instance();
        api = new ConnectionApiHandler(instanceOf("ConnectionApiFunction"));
        callback = new OAuthCallbackHandler(callbackOf(settings));
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
                .containsEntry("scope", "offline_access accounting.contacts accounting.invoices.read accounting.payments.read");
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
    void twentyWorkersRestoredFromOneSnapshotRefreshAcrossAnExpiryExactlyOnce() throws Exception {
        connect(org, tenant);
        // Init and priming, as SnapStart runs them before it takes the snapshot: each worker built through the
        // same composition root and its token cached. Nothing that identifies a lease holder is made here: each
        // acquisition draws its own token after the restore.
        List<ConnectionRoot> restored = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ConnectionRoot worker = instance();
            worker.tokens().accessToken(org);
            restored.add(worker);
        }
        String before = components.tokens().accessToken(org);
        // The restore: 31 minutes later, past the access token's expiry.
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();

        List<String> tokens = concurrently(restored, worker -> worker.tokens().accessToken(org));

        assertThat(identity.refreshes()).as("refreshes at Xero's token endpoint").hasSize(1);
        assertThat(components.xero().getContacts(new XeroCall(tenant, tokens.get(0)), ContactQuery.all()).isOk()).isTrue();
        assertThat(identity.invalidGrants()).isZero();
        assertThat(Set.copyOf(tokens)).hasSize(1).doesNotContain(before);
        assertThat(scanItem("ORG#" + org, "TOKENLEASE")).isEmpty();
    }

    @Test
    void aRefreshSlowerThanTheLeaseKeepsItAndNobodyRefreshesBesideIt() throws Exception {
        connect(org, tenant);
        admin.advanceClock(31 * 60);
        clock.advance(Duration.ofMinutes(31));
        identity.clear();
        // Xero takes 40 s to answer each of the first two refreshes, and those answers are lost: 80 s of
        // attempts under a 60 s lease, which the holder renews before each attempt.
        identity.dropNextRefreshAnswers(2);
        java.util.concurrent.atomic.AtomicInteger slow = new java.util.concurrent.atomic.AtomicInteger(2);
        List<Boolean> takenOver = new CopyOnWriteArrayList<>();
        identity.onRefresh(() -> {
            // Whenever a refresh reaches Xero, another instance tries to take the lease over.
            Instant now = clock.instant();
            boolean taken = components.store().tryAcquireTokenLease(org, "another-instance", now, now.plusSeconds(60));
            takenOver.add(taken);
            if (taken) {
                components.store().releaseTokenLease(org, "another-instance");
            }
            if (slow.getAndDecrement() > 0) {
                clock.advance(Duration.ofSeconds(40));
            }
        });
        List<ConnectionRoot> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Backing off as in Lambda: the waiters outwait the holder's 80 s on our clock.
            workers.add(instanceOf("LearnerSyncWorkerFunction"));
        }

        List<String> tokens = concurrently(workers, worker -> worker.tokens().accessToken(org));

        assertThat(takenOver).as("at 0, 40 and 80 s of a 60 s lease").containsExactly(false, false, false);
        assertThat(identity.refreshes()).as("one refresh, its answer lost twice").hasSize(3)
                .extracting(TokenEndpointProxy.Refresh::refreshTokenSent).containsOnly(identity.refreshes().get(0).refreshTokenSent());
        assertThat(identity.invalidGrants()).isZero();
        assertThat(Set.copyOf(tokens)).as("every worker has the one new token").hasSize(1);
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
        ConnectionRoot unlucky = instance();
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
    void idleConnectionsAreRefreshedBeforeXerosSixtyDaysRunOut() throws Exception {
        connect(org, tenant);
        admin.advanceClock(Duration.ofDays(31).toSeconds());
        clock.advance(Duration.ofDays(31));
        identity.clear();

        // The nightly run queues the idle connection's refresh; the scheduled-work worker refreshes it (each under its role).
        NightlySyncHandler nightly = new NightlySyncHandler(ResyncRoot.of(settings, roles.clients("NightlySyncFunction"), clock, SPIN));
        ScheduledWorker worker = new ScheduledWorker(ResyncRoot.of(settings, roles.clients("ScheduledWorkFunction"), clock, SPIN),
                EndToEndFlow.TEST_TIME);
        WorkerRig scheduledWork = new WorkerRig(aws.sqs(), settings.scheduledWorkQueueUrl(), e -> worker.handleRequest(e, null),
                admin, clock, 1);
        nightly.handleRequest(new ScheduledEvent(), null);
        assertThat(scheduledWork.pass().settled()).as("the idle connection's refresh, queued by the nightly run").isEqualTo(1);
        assertThat(identity.refreshes()).hasSize(1);
        nightly.handleRequest(new ScheduledEvent(), null);
        assertThat(scheduledWork.pass().received()).as("refreshed: no longer idle the next night").isZero();
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
                "ScheduledWorkFunction")) {
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
        String refreshToken = storedRefreshToken(org);

        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("DELETE /v1/xero/connection").as(org, "admin", "u-1").build());

        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(status(org).get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).secretString()).isEqualTo("{}");
        assertErasedTokensReachableByNoLabel(secretName(org));
        assertThat(identity.revocations()).containsExactly("200");
        assertThat(store().findOrgByTenant(tenant)).isEmpty();
        assertThat(components.xero().getContacts(new XeroCall(tenant, token), ContactQuery.all()).isOk()).isFalse();
        assertThat(components.xero().refresh(app(), refreshToken).isOk()).as("revoked at Xero").isFalse();
        // Another instance, which has no access token of its own in memory (the API's instance forgot its own).
        assertThatThrownBy(() -> instance().tokens().accessToken(org)).isInstanceOf(ConnectionUnavailable.class);
        assertThat(scanItem("ORG#" + org, "REVOCATION")).isEmpty();
        assertThat(handle(api, ApiEvents.route("DELETE /v1/xero/connection").as(org, "staff", "u-2").build())
                .getStatusCode()).isEqualTo(403);
    }

    @Test
    void aRevocationXeroDoesNotConfirmIsRetriedNightlyUntilItIs() {
        connect(org, tenant);
        String refreshToken = storedRefreshToken(org);
        identity.failNextRevocations(4);

        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("DELETE /v1/xero/connection").as(org, "admin", "u-1").build());

        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(status(org).get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).secretString()).isEqualTo("{}");
        assertThat(identity.revocations()).containsExactly("503", "503");
        // Kept apart until Xero confirms: in Secrets Manager, with a marker (no token) in DynamoDB.
        String waiting = secretName(org) + "/revocation";
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(waiting)).secretString()).contains(refreshToken);
        assertThat(scanItem("ORG#" + org, "REVOCATION")).singleElement()
                .satisfies(item -> assertThat(item.toString()).doesNotContain(refreshToken));

        // The nightly runs (under the nightly function's role): the first while Xero still fails, the next once it answers.
        assertThat(instanceOf("NightlySyncFunction").tokens().retryRevocations()).isZero();
        assertThat(instanceOf("NightlySyncFunction").tokens().retryRevocations()).isEqualTo(1);

        assertThat(identity.revocations()).containsExactly("503", "503", "503", "503", "200");
        assertThat(scanItem("ORG#" + org, "REVOCATION")).isEmpty();
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(waiting)).secretString()).isEqualTo("{}");
        assertErasedTokensReachableByNoLabel(waiting);
        assertThat(instanceOf("NightlySyncFunction").tokens().retryRevocations()).isZero();
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

    // ---------------------------------------------------------------- scopes and the authorisation event

    /**
     * Xero's access tokens are JWTs whose {@code authentication_event_id} names the authorisation that issued them:
     * the callback asks {@code GET /connections?authEventId=} for that one's tenants, not every tenant the Xero user
     * ever connected the app to.
     */
    @Test
    void theOrganisationConnectedIsFoundThroughTheAccessTokensAuthenticationEventId() throws Exception {
        Map<String, String> proxied = new HashMap<>(env);
        proxied.put("XERO_API_URL", identity.baseUri().toString());
        Settings throughProxy = Settings.from(proxied);
        OAuthCallbackHandler seen = new OAuthCallbackHandler(callbackOf(throughProxy));
        // The same Xero user connected the app to another organisation's tenant before.
        String otherTenant = admin.createTenant("Southside College " + org.substring(4, 10), null);
        assertThat(connect("org-other-" + UUID.randomUUID(), otherTenant)).containsEntry("xero", "connected");
        identity.clear();

        admin.consent(List.of(tenant));
        Started started = startConnect(org);
        Map<String, String> xero = authorize(started.authorize());
        ApiEvents event = ApiEvents.route("GET /v1/xero/callback").cookie(started.cookie());
        xero.forEach(event::query);
        Map<String, String> back = outcome(handle(seen, event.build()));

        assertThat(back).containsEntry("xero", "connected");
        assertThat(status(org).get("tenantId").asText()).isEqualTo(tenant);
        String accessToken = components.tokens().accessToken(org);
        JsonNode claims = Json.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        String authEventId = claims.get("authentication_event_id").asText();
        assertThat(identity.requests()).contains("GET /connections?authEventId=" + authEventId);
        // Unfiltered, Xero lists both tenants: the claim is what tells this authorisation's one.
        assertThat(components.xero().connections(accessToken, null).orElseThrow())
                .extracting(Connection::tenantId).contains(tenant, otherTenant);
        assertThat(components.xero().connections(accessToken, authEventId).orElseThrow())
                .extracting(Connection::tenantId).containsExactly(tenant);
    }

    /**
     * Xero refuses the broad scopes to apps created on or after 2 March 2026, redirecting back with
     * {@code error=unauthorized_client}: the admin lands on the LRM page with the reason and what to set. The same
     * deployment setting serves an app created before, whose grant then covers every need.
     */
    @Test
    void broadScopesAreRefusedToANewAppWithAClearErrorAndServeAnAppMadeBeforeMarch2026() {
        Map<String, String> broadScopes = new HashMap<>(env);
        broadScopes.put("XERO_SCOPES", "broad");
        Settings broad = Settings.from(broadScopes);
        ConnectionApiHandler broadApi = new ConnectionApiHandler(ConnectionRoot.of(broad, roles.clients("ConnectionApiFunction"), clock, SPIN));
        OAuthCallbackHandler broadCallback = new OAuthCallbackHandler(callbackOf(broad));
        admin.consent(List.of(tenant));

        APIGatewayV2HTTPResponse start = handle(broadApi, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(org, "admin", "u-admin").build());
        Map<String, String> xero = authorize(URI.create(start.getHeaders().get("location")));
        assertThat(xero).containsEntry("error", "unauthorized_client").containsKey("state").doesNotContainKey("code");
        ApiEvents refused = ApiEvents.route("GET /v1/xero/callback").cookie(cookie(start));
        xero.forEach(refused::query);
        APIGatewayV2HTTPResponse page = handle(broadCallback, refused.build());

        assertThat(page.getHeaders().get("location")).startsWith(RETURN_TO + "&xero=error");
        assertThat(outcome(page)).containsEntry("xero", "error").containsEntry("reason", "unauthorized_client")
                .hasEntrySatisfying("message", m -> assertThat(m).contains("granular scopes only")
                        .contains("XERO_SCOPES=granular"));
        assertNothingStored();

        admin.registerApp(new SandboxAdminClient.App(CLIENT_ID, CLIENT_SECRET, List.of("https://" + HOST + "/v1/xero/callback"),
                null, null, Instant.parse("2025-06-01T00:00:00Z"), List.of()));
        try {
            admin.consent(List.of(tenant));
            APIGatewayV2HTTPResponse again = handle(broadApi, ApiEvents.route("GET /v1/xero/connect")
                    .query("returnTo", RETURN_TO).as(org, "admin", "u-admin").build());
            ApiEvents granted = ApiEvents.route("GET /v1/xero/callback").cookie(cookie(again));
            authorize(URI.create(again.getHeaders().get("location"))).forEach(granted::query);
            assertThat(outcome(handle(broadCallback, granted.build()))).containsEntry("xero", "connected")
                    .doesNotContainKey("missingScopes");
            JsonNode status = status(org);
            assertThat(status.get("scopes").toString()).contains("accounting.transactions.read");
            assertThat(status.get("missingScopes")).isEmpty();
        } finally {
            admin.registerApp(CLIENT_ID, CLIENT_SECRET, List.of("https://" + HOST + "/v1/xero/callback"), null, null);
        }
    }

    // ---------------------------------------------------------------- bad callbacks store nothing

    @Test
    void anUnknownStateLandsOnTheConfiguredPageAndStoresNothing() {
        APIGatewayV2HTTPResponse r = handle(callback, ApiEvents.route("GET /v1/xero/callback")
                .query("code", "whatever").query("state", "not-a-state-we-made").build());
        assertThat(outcome(r)).containsEntry("xero", "error").containsEntry("reason", "unknown_state");
        assertThat(r.getHeaders().get("location")).startsWith(FALLBACK + "?");
        assertNothingStored();
    }

    @Test
    void anExpiredStateLandsOnTheConfiguredPageAndStoresNothing() {
        admin.consent(List.of(tenant));
        Started started = startConnect(org);
        Map<String, String> xero = authorize(started.authorize());
        clock.advance(Duration.ofMinutes(11));

        APIGatewayV2HTTPResponse r = callback(xero, started.cookie());
        assertThat(r.getHeaders().get("location")).startsWith(FALLBACK + "?").doesNotContain("connected-apps");
        assertThat(outcome(r)).containsEntry("xero", "error").containsEntry("reason", "state_expired");
        assertNothingStored();
    }

    @Test
    void aStateAndItsVerifierAreRefusedOnceTheyArePastTheirRemovalEvenBeforeDynamoDbDeletesThem() {
        admin.consent(List.of(tenant));
        Started started = startConnect(org);
        Map<String, String> xero = authorize(started.authorize());
        Map<String, AttributeValue> state = scan().stream().filter(i -> i.get("pk").s().startsWith("OAUTHSTATE#"))
                .findFirst().orElseThrow();
        Instant expiresAt = Instant.parse(state.get("expiresAt").s());
        assertThat(Long.parseLong(state.get("ttl").n())).as("removed 5 minutes after its expiry")
                .isEqualTo(expiresAt.plus(Duration.ofMinutes(5)).getEpochSecond());
        clock.advance(Duration.between(clock.instant(), expiresAt).plusMinutes(5));

        assertThat(outcome(callback(xero, started.cookie()))).containsEntry("reason", "unknown_state");
        assertNothingStored();
    }

    @Test
    void aXeroErrorGoesBackWithAnErrorAndStoresNothing() {
        Started started = startConnect(org);
        Map<String, String> back = finish(Map.of("state", started.state(), "error", "access_denied"), started.cookie());
        assertThat(back).containsEntry("xero", "error").containsEntry("reason", "access_denied");
        assertNothingStored();
    }

    @Test
    void aCodeXeroRefusesGoesBackWithAnErrorAndStoresNothing() {
        Started started = startConnect(org);
        Map<String, String> back = finish(Map.of("state", started.state(), "code", "not-a-code"), started.cookie());
        assertThat(back).containsEntry("xero", "error").containsEntry("reason", "code_exchange_failed");
        assertNothingStored();
    }

    @Test
    void aReusedStateLandsOnTheConfiguredPageAndChangesNothing() {
        admin.consent(List.of(tenant));
        Started started = startConnect(org);
        Map<String, String> xero = authorize(started.authorize());
        assertThat(finish(xero, started.cookie())).containsEntry("xero", "connected");
        List<Map<String, AttributeValue>> tableBefore = scan();
        String versionBefore = aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId();

        APIGatewayV2HTTPResponse again = callback(xero, started.cookie());
        assertThat(again.getHeaders().get("location")).startsWith(FALLBACK + "?");
        assertThat(outcome(again)).containsEntry("xero", "error").containsEntry("reason", "state_reused");
        assertThat(scan()).containsExactlyInAnyOrderElementsOf(tableBefore);
        assertThat(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(org))).versionId()).isEqualTo(versionBefore);
    }

    // ---------------------------------------------------------------- a connection nobody can hijack

    @Test
    void aCallbackCompletedInAnotherBrowserSessionIsRefused() {
        // An admin of another LRM organisation starts a connect in their own browser, then sends Xero's
        // authorize link to a Xero admin of this business, who consents in theirs (login CSRF).
        String attacker = "org-attacker-" + UUID.randomUUID();
        admin.consent(List.of(tenant));
        Started theirs = startConnect(attacker);
        Map<String, String> consented = authorize(theirs.authorize());
        Started victims = startConnect(org); // the victim's browser holds a connect cookie of its own

        APIGatewayV2HTTPResponse withOtherCookie = callback(consented, victims.cookie());
        assertThat(withOtherCookie.getHeaders().get("location")).startsWith(FALLBACK + "?");
        assertThat(outcome(withOtherCookie)).containsEntry("xero", "error").containsEntry("reason", "other_browser");

        Started another = startConnect(attacker);
        admin.consent(List.of(tenant));
        assertThat(finish(authorize(another.authorize()), null)).as("no cookie at all").containsEntry("reason", "other_browser");

        assertThat(store().findOrgByTenant(tenant)).isEmpty();
        assertThat(store().connection(attacker)).isEmpty();
        assertThat(aws.secretsManager().listSecrets().secretList()).noneMatch(x -> x.name().startsWith(settings.tokenSecretPrefix()));
        assertThat(logs).anyMatch(l -> l.contains("xero.connect.other_browser") && l.contains(attacker));
    }

    @Test
    void theConnectCookieIsSecureHostOnlyAndOnlyItsHashIsStored() throws Exception {
        APIGatewayV2HTTPResponse redirect = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(org, "admin", "u-admin").build());
        APIGatewayV2HTTPResponse json = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .header("accept", "application/json").as(org, "admin", "u-admin").build());

        for (APIGatewayV2HTTPResponse r : List.of(redirect, json)) {
            assertThat(r.getCookies()).singleElement().asString()
                    .matches(COOKIE + "=[A-Za-z0-9_-]{43}; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax");
        }
        String nonce = cookie(redirect).substring(COOKIE.length() + 1);
        assertThat(scan()).filteredOn(i -> i.get("pk").s().startsWith("OAUTHSTATE#")).hasSize(2)
                .noneMatch(i -> i.toString().contains(nonce))
                .anyMatch(i -> i.get("browserHash").s().equals(BrowserNonce.parse(nonce).orElseThrow().hash()));
        // A second connect from the same browser (another tab) keeps its nonce, so either can finish.
        APIGatewayV2HTTPResponse again = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .cookie(cookie(redirect)).as(org, "admin", "u-admin").build());
        assertThat(cookie(again)).isEqualTo(cookie(redirect));
    }

    @Test
    void returnToAnUnlistedHostIsRefusedAtConnectAndNothingIsStored() throws Exception {
        for (String elsewhere : List.of("https://evil.example/phish", "https://lrm.example.org.evil.example/",
                "http://lrm.example.org/settings", "https://lrm.example.org:8443/")) {
            APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", elsewhere)
                    .as(org, "admin", "u-admin").build());
            assertThat(r.getStatusCode()).as(elsewhere).isEqualTo(400);
            assertThat(r.getHeaders().get("content-type")).isEqualTo("application/problem+json");
            JsonNode problem = Json.MAPPER.readTree(r.getBody());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("returnTo");
            assertThat(problem.at("/errors/0/message").asText()).contains(LRM_ORIGIN);
            assertThat(r.getCookies()).isNull();
        }
        assertThat(scan()).isEmpty();
    }

    @Test
    void withoutAConfiguredPageAnUntrustedCallbackShowsAPageThatSaysWhatHappened() {
        Map<String, String> withoutFallbackUrl = new HashMap<>(env);
        withoutFallbackUrl.remove("XERO_CONNECT_FALLBACK_URL");
        OAuthCallbackHandler withoutFallback = new OAuthCallbackHandler(callbackOf(Settings.from(withoutFallbackUrl)));
        admin.consent(List.of(tenant));
        Started started = startConnect(org);
        Map<String, String> consented = authorize(started.authorize());

        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("unknown_state", "not-a-state-we-made");
        cases.put("other_browser", consented.get("state"));
        cases.put("state_reused", consented.get("state"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ApiEvents event = ApiEvents.route("GET /v1/xero/callback").query("state", c.getValue())
                    .query("code", consented.getOrDefault("code", "x"));
            APIGatewayV2HTTPResponse page = handle(withoutFallback, event.build());
            assertThat(page.getStatusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(page.getHeaders()).containsEntry("content-type", "text/html; charset=utf-8")
                    .containsEntry("cache-control", "no-store").containsKey("content-security-policy");
            assertThat(page.getBody()).startsWith("<!doctype html>").contains("Connecting Xero did not complete")
                    .contains("<code>" + c.getKey() + "</code>").doesNotContain("{\"").doesNotContain("connected-apps");
        }
        Started late = startConnect(org);
        clock.advance(Duration.ofMinutes(11));
        APIGatewayV2HTTPResponse expired = handle(withoutFallback, ApiEvents.route("GET /v1/xero/callback")
                .query("state", late.state()).query("code", "x").cookie(late.cookie()).build());
        assertThat(expired.getBody()).contains("<code>state_expired</code>");
        assertNothingStored();
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code work} on every worker at once; what each returned. */
    private static <T> List<T> concurrently(List<ConnectionRoot> workers, java.util.function.Function<ConnectionRoot, T> work)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
            List<Future<T>> results = new ArrayList<>();
            for (ConnectionRoot worker : workers) {
                Callable<T> task = () -> {
                    go.await();
                    return work.apply(worker);
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : results) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Another Lambda instance of a function that calls Xero (the learner-sync worker): its own token
     * cache, clients and lease holder id, under its role; the same AWS resources.
     */
    private ConnectionRoot instance() {
        return instanceOf("LearnerSyncWorkerFunction");
    }

    /** The connection store as the test looks at it (the account's root, not a function's role). */
    private DynamoConnectionStore store() {
        return new DynamoConnectionStore(aws.dynamoDb(), table);
    }

    private ConnectionRoot instanceOf(String functionId) {
        return ConnectionRoot.of(settings, roles.clients(functionId), clock, SPIN);
    }

    /** The OAuth callback with {@code settings}, under its role. */
    private ConnectionRoot callbackOf(Settings settings) {
        return ConnectionRoot.callback(settings, roles.clients("OAuthCallbackFunction"), clock, SPIN);
    }

    /** Connect -> Xero authorize (consenting to the tenant) -> callback; the parameters the browser came back with. */
    private Map<String, String> connect(String orgId, String tenantId) {
        admin.consent(List.of(tenantId));
        Started started = startConnect(orgId);
        return finish(authorize(started.authorize()), started.cookie());
    }

    /** A connect started in the admin's browser: Xero's authorize URL, and the cookie the browser now keeps. */
    private record Started(URI authorize, String cookie) {
        String state() {
            return query(authorize).get("state");
        }
    }

    private Started startConnect(String orgId) {
        APIGatewayV2HTTPResponse r = handle(api, ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO)
                .as(orgId, "admin", "u-admin").build());
        assertThat(r.getStatusCode()).isEqualTo(302);
        return new Started(URI.create(r.getHeaders().get("location")), cookie(r));
    }

    /** The {@code name=value} of the connect cookie an answer set. */
    private static String cookie(APIGatewayV2HTTPResponse r) {
        assertThat(r.getCookies()).as("Set-Cookie").singleElement().asString().startsWith(COOKIE + "=");
        return r.getCookies().get(0).split(";", 2)[0];
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

    /** Xero's redirect arriving in a browser that sends {@code cookie} (none: null). */
    private Map<String, String> finish(Map<String, String> params, String cookie) {
        return outcome(callback(params, cookie));
    }

    private APIGatewayV2HTTPResponse callback(Map<String, String> params, String cookie) {
        ApiEvents event = ApiEvents.route("GET /v1/xero/callback");
        params.forEach(event::query);
        if (cookie != null) {
            event.cookie(cookie);
        }
        return handle(callback, event.build());
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

    private String storedRefreshToken(String orgId) {
        try {
            return Json.MAPPER.readTree(aws.secretsManager().getSecretValue(b -> b.secretId(secretName(orgId))).secretString())
                    .get("refreshToken").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AppCredentials app() {
        return new AppCredentials(CLIENT_ID, CLIENT_SECRET);
    }

    /** The secret holds {} as its current version, and no other version carries a label (AWSPREVIOUS above all). */
    private void assertErasedTokensReachableByNoLabel(String secret) {
        var versions = aws.secretsManager().listSecretVersionIds(b -> b.secretId(secret)).versions();
        assertThat(versions).filteredOn(v -> !v.versionStages().isEmpty()).singleElement()
                .satisfies(v -> assertThat(v.versionStages()).containsExactly("AWSCURRENT"));
        assertThatThrownBy(() -> aws.secretsManager().getSecretValue(b -> b.secretId(secret).versionStage("AWSPREVIOUS")))
                .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException.class);
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
