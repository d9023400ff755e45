package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.xero.ContactQuery;
import org.lrm.xero.adapter.xero.InvoiceQuery;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.adapter.xero.XeroGateway;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.LastBudgetSeen;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.handler.DlqReplayHandler;
import org.lrm.xero.handler.DlqReplayRoot;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Metrics;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.WorkerRig;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.SandboxConnection;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The shared budget, the SQS work runtime and DLQ replay together, against the Xero sandbox and
 * the AWS emulator: many workers on one organisation never break Xero's limits, bulk work parks
 * for the day while interactive work goes on, and poison messages go to the DLQ and come back.
 */
@ExtendWith(AwsEmulator.class)
class RateBudgetIT {

    private static final String KIND = "xero-call";
    private static XeroSandbox sandbox;
    private static SandboxAdminClient admin;
    private static Settings settings;
    private static FunctionRoles roles;

    private final List<WaitReason> waits = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, AtomicInteger> done = new ConcurrentHashMap<>();
    private final List<String> metricLines = Collections.synchronizedList(new ArrayList<>());
    private String orgId;
    private String tenantId;
    private MutableClock clock;
    private DynamoRateBudget budget;
    private SqsQueue sqs;
    private WorkerRig rig;

    @BeforeAll
    static void start() {
        sandbox = XeroSandbox.start(0);
        admin = new SandboxAdminClient(sandbox.baseUri());
        TemplateResources stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(AwsEmulator.clients());
        settings = Settings.from(stack.environment("DlqReplayFunction"));
        roles = new FunctionRoles(stack, AwsEmulator.clients());
    }

    @AfterAll
    static void stop() {
        try {
            admin.assertContractKept();
        } finally {
            sandbox.close();
        }
    }

    @BeforeEach
    void emptyQueuesAndCaptureMetrics() {
        // The emulator is reset per class: no test may see another's messages.
        for (String url : List.of(settings.learnerSyncQueueUrl(), settings.learnerSyncDlqUrl())) {
            AwsEmulator.clients().sqs().purgeQueue(b -> b.queueUrl(url));
        }
        Metrics.sink(metricLines::add);
    }

    @AfterEach
    void restore() {
        Metrics.sinkToStdout();
        admin.clearFaults();
    }

    @Test
    void twentyWorkersOnOneOrganisationStayWithinXerosLimitsAndLoseNothing() throws Exception {
        organisation(null);
        int messages = 300;
        for (int n = 0; n < messages; n++) {
            send(n, Priority.BULK);
        }

        drain(messages, 20);

        JsonNode stats = admin.stats().get("tenants").get(tenantId);
        assertThat(stats.get("highestConcurrency").asInt()).isBetween(1, 5);
        assertThat(stats.get("maxCallsInAMinute").asInt()).isLessThanOrEqualTo(60);
        assertThat(stats.get("rateLimited").size()).as("429s: %s", stats.get("rateLimited")).isZero();
        assertThat(done).hasSize(messages).allSatisfy((n, count) -> assertThat(count.get()).as("message %d", n).isEqualTo(1));
        assertThat(stats.get("appCalls").asInt()).as("calls by endpoint %s", stats.get("appCallsByEndpoint")).isEqualTo(messages);
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).isZero();
        assertThat(rig.inQueue(settings.learnerSyncDlqUrl())).isZero();
        assertThat(metricLines).anySatisfy(line -> assertThat(line).contains("\"XeroCallCount\"").contains("\"_aws\""));
        assertThat(metricLines).anySatisfy(line -> assertThat(line).contains("\"WorkDeferred\"").contains("\"minute\""));
        for (String line : metricLines) {
            assertThat(Json.MAPPER.readTree(line).get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText())
                    .isEqualTo("LrmXeroIntegration");
        }
    }

    /** The organisation's 100 calls a day are never told: the budget learns them from Xero's first answers. */
    @Test
    void whenTheDayRunsLowBulkWorkParksInteractiveWorkGoesOnAndAllCompletesAfterTheReset() throws Exception {
        organisation(100);
        for (int n = 0; n < 90; n++) {
            send(n, Priority.BULK);
        }

        drain(90, 10);

        assertThat(done).hasSize(80);
        assertThat(waits).contains(WaitReason.RESERVE);
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).isEqualTo(10);
        assertThat(rig.inQueue(settings.learnerSyncDlqUrl())).isZero();
        assertThat(budget.snapshot(tenantId).dayRemaining()).isEqualTo(20);
        assertThat(budget.snapshot(tenantId).dayLimit()).isEqualTo(100);
        // Kept apart from the windows: an instance starting now knows it too.
        assertThat(new DynamoRateBudget(AwsEmulator.clients().dynamoDb(), settings.budgetTableName(),
                new RatePolicy(RateLimits.xero(settings.bulkDayReservePercent())), clock).snapshot(tenantId).dayLimit())
                .isEqualTo(100);

        for (int n = 1000; n < 1015; n++) {
            send(n, Priority.INTERACTIVE);
        }
        drain(95, 10);

        assertThat(done).hasSize(95).containsKeys(1000, 1014);
        assertThat(admin.stats().get("tenants").get(tenantId).get("appCalls").asInt()).isEqualTo(95);

        rig.advance(Duration.ofDays(1).plusMinutes(20));
        drain(105, 10);

        JsonNode stats = admin.stats().get("tenants").get(tenantId);
        assertThat(done).hasSize(105).allSatisfy((n, count) -> assertThat(count.get()).isEqualTo(1));
        assertThat(stats.get("rateLimited").size()).as("429s: %s", stats.get("rateLimited")).isZero();
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).isZero();
        assertThat(rig.inQueue(settings.learnerSyncDlqUrl())).isZero();
    }

    @Test
    void poisonMessagesLandInTheDlqWithTheirReasonAndReplayBringsThemBack() throws Exception {
        organisation(null);
        producer().send(settings.learnerSyncQueueUrl(), new SqsQueue.Outgoing("{not a work message", Map.of(), 0));
        send(7, Priority.INTERACTIVE);
        admin.setFaults(Map.of("errorRate", 1.0));

        // Xero failing backs off without spending receives, and the message is dead-lettered only once Xero has failed
        // it for a day: the first failure, then the day on both clocks, then the last.
        rig.pass();
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).as("waiting, not dead").isEqualTo(1);
        rig.advance(Duration.ofHours(24).plusMinutes(1));
        rig.pass();

        assertThat(done).isEmpty();
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).isZero();
        List<Message> dead = producer().receive(settings.learnerSyncDlqUrl(), 10, 1, 1);
        assertThat(dead).hasSize(2);
        Map<String, Map<String, String>> byOrg = new ConcurrentHashMap<>();
        dead.forEach(m -> {
            Map<String, String> attributes = new ConcurrentHashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            byOrg.put(attributes.get("orgId"), attributes);
            producer().changeVisibility(settings.learnerSyncDlqUrl(), m.receiptHandle(), 0);
        });
        assertThat(byOrg.get("unknown").get("reason")).startsWith("malformed");
        assertThat(byOrg.get(orgId).get("reason")).startsWith("Xero failing since").contains("over 24 h").contains("getInvoices");
        assertThat(byOrg.get(orgId).get("kind")).isEqualTo(KIND);

        DlqReplayHandler replay = new DlqReplayHandler(DlqReplayRoot.of(settings, roles.clients("DlqReplayFunction")));
        assertThat(replay(replay, "{\"queue\":\"learner-sync\",\"orgId\":\"" + orgId + "\",\"kind\":null,\"dryRun\":true,\"max\":1000}"))
                .isEqualTo(new ReplayCounts(1, 0, 1));
        assertThat(rig.inQueue(settings.learnerSyncDlqUrl())).isEqualTo(2);

        admin.clearFaults();
        assertThat(replay(replay, "{\"queue\":\"learner-sync\",\"orgId\":\"" + orgId + "\",\"dryRun\":false}"))
                .isEqualTo(new ReplayCounts(1, 1, 1));
        drain(1, 2);

        assertThat(done).containsOnlyKeys(7);
        assertThat(rig.inQueue(settings.learnerSyncQueueUrl())).isZero();
        assertThat(rig.inQueue(settings.learnerSyncDlqUrl())).isEqualTo(1);
    }

    // ---- the rig ---------------------------------------------------------------------------

    private void organisation(Integer dayLimit) {
        tenantId = admin.createTenant("Budget Learning " + System.nanoTime(), dayLimit);
        orgId = "org-" + tenantId.substring(0, 8);
        SandboxConnection connection = SandboxConnection.connect(sandbox.baseUri(), admin, List.of(tenantId));
        clock = new MutableClock(admin.now());
        // The work runs as the learner-sync worker would: under its role.
        AwsClients workerAws = roles.clients("LearnerSyncWorkerFunction");
        budget = new DynamoRateBudget(workerAws.dynamoDb(), settings.budgetTableName(),
                new RatePolicy(RateLimits.xero(settings.bulkDayReservePercent())), clock);
        XeroGateway gateway = new XeroGateway(budget, connection, LastBudgetSeen.NOWHERE, clock);
        XeroClient xero = SandboxConnection.client(sandbox.baseUri());
        WorkProcessor oneCallPerMessage = WorkProcessor.perMessage(work -> {
            WorkMessage m = work.message();
            try {
                if (m.payload().get("n").asInt() % 2 == 0) {
                    gateway.call(m.orgId(), m.tenantId(), m.priority(), "getContacts", c -> xero.getContacts(c, ContactQuery.all()));
                } else {
                    gateway.call(m.orgId(), m.tenantId(), m.priority(), "getInvoices", c -> xero.getInvoices(c, InvoiceQuery.all()));
                }
            } catch (WaitForBudget wait) {
                waits.add(wait.reason());
                throw wait;
            }
            done.computeIfAbsent(m.payload().get("n").asInt(), k -> new AtomicInteger()).incrementAndGet();
            return WorkOutcome.DONE;
        });
        sqs = new SqsQueue(workerAws.sqs());
        // SQS delays and visibility are real time: here waits hide messages until the rig moves the clocks.
        DeferralPolicy testTime = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);
        SqsWorker worker = new SqsWorker(sqs, settings.learnerSyncQueueUrl(), oneCallPerMessage, testTime, clock, () -> 0.5);
        rig = new WorkerRig(AwsEmulator.clients().sqs(), settings.learnerSyncQueueUrl(), worker::handle, admin, clock, 20);
    }

    private void send(int n, Priority priority) {
        WorkMessage message = WorkMessage.of(KIND, orgId, tenantId, priority, Json.MAPPER.createObjectNode().put("n", n));
        producer().send(settings.learnerSyncQueueUrl(), new SqsQueue.Outgoing(message.toJson(), Map.of(), 0));
    }

    /** Whoever queues the work and looks at the queues: the test itself. */
    private static SqsQueue producer() {
        return new SqsQueue(AwsEmulator.clients().sqs());
    }

    /** Passes, moving the clocks a minute on between them, until {@code expected} are done or all that is left is parked. */
    private void drain(int expected, int maxPasses) throws Exception {
        for (int i = 0; i < maxPasses; i++) {
            int waitsBefore = waits.size();
            int before = done.size();
            rig.pass();
            if (done.size() >= expected) {
                return;
            }
            boolean shortWaits = List.copyOf(waits.subList(waitsBefore, waits.size())).stream().anyMatch(r -> r == WaitReason.MINUTE || r == WaitReason.CONCURRENT
                    || r == WaitReason.APPMINUTE);
            if (done.size() == before && !shortWaits) {
                return;
            }
            rig.advance(Duration.ofSeconds(65));
        }
        if (done.size() < expected) {
            fail("only " + done.size() + " of " + expected + " done after " + maxPasses + " passes; waits " + waits);
        }
    }

    private static ReplayCounts replay(DlqReplayHandler handler, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readValue(out.toByteArray(), ReplayCounts.class);
    }
}
