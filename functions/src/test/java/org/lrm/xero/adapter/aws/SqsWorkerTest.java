package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

class SqsWorkerTest {

    /**
     * A batch as Lambda hands it over, with a big organisation's bulk-sync backlog received ahead of two small
     * organisations' learners saved by staff: the small ones are worked first, so their learners do not wait for the
     * big organisation's Xero calls. Every message is done: the worker makes no SQS call.
     */
    @Test
    void aSmallOrganisationsMessageIsNotWorkedAfterABigOrganisationsBacklogInTheSameBatch() {
        List<SQSEvent.SQSMessage> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(message("big-" + i, "org-big", Priority.BULK));
        }
        batch.add(message("small-a", "org-small-a", Priority.INTERACTIVE));
        batch.add(message("small-b", "org-small-b", Priority.INTERACTIVE));
        List<String> worked = new CopyOnWriteArrayList<>();
        WorkProcessor recording = (orgId, work) -> {
            worked.add(orgId + " x" + work.size());
            Map<String, WorkOutcome> done = new LinkedHashMap<>();
            work.forEach(w -> done.put(w.messageId(), WorkOutcome.DONE));
            return done;
        };
        SqsWorker worker = new SqsWorker(new SqsQueue(null), "https://sqs.example/123456789012/learner-sync", recording,
                DeferralPolicy.standard(), Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC), () -> 0.5);

        SQSEvent event = new SQSEvent();
        event.setRecords(batch);
        SQSBatchResponse response = worker.handle(event);

        assertThat(worked).containsExactly("org-small-a x1", "org-small-b x1", "org-big x8");
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    private static SQSEvent.SQSMessage message(String id, String orgId, Priority priority) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(WorkMessage.of("learner-sync", orgId, null, priority, Json.MAPPER.createObjectNode().put("id", id)).toJson());
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        return m;
    }
}
