package org.lrm.xero.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.xero.ContactDraft;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.handler.LearnerApiHandler;
import org.lrm.xero.handler.LearnerRoot;
import org.lrm.xero.handler.LearnerSyncWorker;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.handler.XeroParts;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;

/**
 * Learners to Xero contacts: the real learner API's bulk sync and the learner-sync worker (fed
 * by the queue as Lambda's event source feeds it), against the naive integration that sends one
 * {@code POST /Contacts} per learner through the same Xero client and gateway.
 */
final class LearnerBench {

    /** Waiting copies go back without SQS delay: the rig moves the clocks instead of waiting. */
    static final DeferralPolicy RIG_TIME = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);

    /** What one bulk sync took. */
    record Run(int learners, int synced, long appCalls, JsonNode byEndpoint, long rateLimited, Duration sandboxTime,
               Drain.Outcome drain, double wallSeconds) {
        double learnersPerBusySecond() {
            return learners / drain.busySeconds();
        }
    }

    private final IntegrationRig rig;
    private final Settings apiSettings;
    private final LearnerApiHandler api;
    private final LearnerStore learners;
    /** The naive baseline's way to Xero: the same client and gateway the worker has. */
    private final XeroParts xero;
    private final LearnerSyncWorker worker;

    LearnerBench(IntegrationRig rig) {
        this.rig = rig;
        this.apiSettings = rig.settings("LearnerApiFunction");
        this.api = new LearnerApiHandler(rig.root("LearnerApiFunction", LearnerRoot::of));
        this.learners = new DynamoLearnerStore(rig.aws.dynamoDb(), apiSettings.tableName());
        this.xero = rig.root("LearnerSyncWorkerFunction", XeroParts::of);
        this.worker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of), RIG_TIME);
    }

    static String learnerJson(String prefix, int i) {
        return """
                {"learnerId":"%s-%d","refInternal":"%s%06d","firstName":"Learner","lastName":"Number%d","email":"l%d@%s.example.org","syncToXero":true,\
                "enrolments":[{"enrolmentId":"E-%d","course":"BSB50120 Diploma of Business","startDate":"2027-02-01","status":"CONFIRMED"}]}"""
                .formatted(prefix, i, prefix.toUpperCase().replaceAll("[^A-Z]", ""), i, i, i, prefix, i);
    }

    /** {@code count} learners of a fresh organisation bulk-synced until the queue is empty; {@code workers} instances. */
    Run bulkSync(String orgId, String tenantId, String prefix, int count, int workers) throws Exception {
        List<String> body = new ArrayList<>(count);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            body.add(learnerJson(prefix, i));
            ids.add(prefix + "-" + i);
        }
        WorkerRig rigWorkers = new WorkerRig(rig.aws.sqs(), apiSettings.learnerSyncQueueUrl(), e -> worker.handleRequest(e, null),
                rig.admin, rig.clock, workers);
        long wall0 = System.nanoTime();
        Instant sandbox0 = rig.admin.now();
        APIGatewayV2HTTPResponse accepted = api.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + String.join(",", body) + "]}").as(orgId, "admin", "bench").build(), null);
        if (accepted.getStatusCode() != 202) {
            throw new IllegalStateException("bulk sync answered " + accepted.getStatusCode() + ": " + accepted.getBody());
        }
        Drain.Outcome drained = Drain.run(rigWorkers, apiSettings.learnerSyncQueueUrl(), Duration.ofMinutes(8));
        Duration sandboxTime = Duration.between(sandbox0, rig.admin.now());
        double wall = (System.nanoTime() - wall0) / 1e9;
        int synced = 0;
        for (int i = 0; i < ids.size(); i += 1000) {
            Map<String, LearnerRecord> found = learners.findAll(orgId, ids.subList(i, Math.min(i + 1000, ids.size())));
            synced += (int) found.values().stream().filter(r -> r.state() == SyncState.SYNCED).count();
        }
        JsonNode stats = rig.admin.stats().path("tenants").path(tenantId);
        long limited = 0;
        for (JsonNode n : stats.path("rateLimited")) {
            limited += n.asLong();
        }
        return new Run(count, synced, stats.path("appCalls").asLong(), stats.path("appCallsByEndpoint"), limited,
                sandboxTime, drained, wall);
    }

    /** What the naive integration spent: its calls and the time the sandbox's clock moved. */
    record Naive(long appCalls, JsonNode byEndpoint, Duration sandboxTime, double wallSeconds) {
    }

    /**
     * The naive integration: one {@code POST /Contacts} per learner through the same Xero client and
     * gateway (so the same budget and token handling), waiting on the clocks as the workers do.
     */
    Naive oneCallPerLearner(String orgId, String tenantId, String prefix, int count) {
        long wall0 = System.nanoTime();
        Instant sandbox0 = rig.admin.now();
        for (int i = 0; i < count; i++) {
            String ref = prefix.toUpperCase().replaceAll("[^A-Z]", "") + String.format("%06d", i);
            ContactDraft draft = new ContactDraft(null, ref, "Learner Number" + i + " " + ref, "Learner", "Number" + i,
                    "l" + i + "@" + prefix + ".example.org", null, null);
            while (true) {
                try {
                    xero.gateway().call(orgId, tenantId, Priority.BULK, "POST Contacts (one learner)",
                            call -> xero.connection().xero().upsertContacts(call, List.of(draft), "naive-" + orgId + "-" + ref));
                    break;
                } catch (WaitForBudget wait) {
                    rig.advance(wait.duration().isZero() ? Duration.ofSeconds(1) : wait.duration());
                }
            }
        }
        Duration sandboxTime = Duration.between(sandbox0, rig.admin.now());
        JsonNode stats = rig.admin.stats().path("tenants").path(tenantId);
        return new Naive(stats.path("appCalls").asLong(), stats.path("appCallsByEndpoint"), sandboxTime,
                (System.nanoTime() - wall0) / 1e9);
    }

    static Map<String, Object> raw(Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learners", run.learners());
        m.put("synced", run.synced());
        m.put("appCalls", run.appCalls());
        m.put("appCallsByEndpoint", run.byEndpoint());
        m.put("rateLimited", run.rateLimited());
        m.put("sandboxSeconds", run.sandboxTime().toSeconds());
        m.put("clockAdvancedSeconds", run.drain().advancedSeconds());
        m.put("workerBusySeconds", run.drain().busySeconds());
        m.put("passes", run.drain().passes());
        m.put("wallSeconds", run.wallSeconds());
        return m;
    }
}
