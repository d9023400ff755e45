package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.learner.LearnerSyncQueue;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Learner syncs on the learner-sync queue: 50 learners to a message, 10 messages to a send. */
public final class SqsLearnerSyncQueue implements LearnerSyncQueue {

    static final int LEARNERS_PER_MESSAGE = 50;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsLearnerSyncQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(String orgId, List<String> learnerIds, Priority priority, boolean force, String jobId) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < learnerIds.size(); i += LEARNERS_PER_MESSAGE) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", "LEARNER_SYNC");
            body.put("orgId", orgId);
            body.put("priority", priority.name());
            body.put("learnerIds", learnerIds.subList(i, Math.min(i + LEARNERS_PER_MESSAGE, learnerIds.size())));
            body.put("force", force);
            if (jobId != null) {
                body.put("jobId", jobId);
            }
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                    .messageBody(json(body)).build());
        }
        for (int i = 0; i < entries.size(); i += 10) {
            List<SendMessageBatchRequestEntry> chunk = entries.subList(i, Math.min(i + 10, entries.size()));
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + response.failed().size() + " learner-sync messages: "
                        + response.failed().get(0).message());
            }
        }
    }

    private static String json(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
