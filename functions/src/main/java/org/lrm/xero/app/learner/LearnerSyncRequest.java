package org.lrm.xero.app.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.lrm.xero.support.Json;

/**
 * The payload of a learner-sync work message: which learners to push, whether to push them even
 * when Xero already holds their details (Manual Sync), the bulk job they belong to, and the attempt
 * it is: one per request of a person or a schedule (a save, a Manual Sync, a bulk sync), the same in
 * every copy of its messages (a redelivery after a crash, a copy waiting for budget).
 *
 * @param attempt null in messages queued before attempts were carried
 */
public record LearnerSyncRequest(List<String> learnerIds, boolean force, String jobId, String attempt) {

    public static final String KIND = "learner-sync";

    public LearnerSyncRequest {
        learnerIds = List.copyOf(learnerIds);
    }

    /** The learners of a new request, as a new attempt. */
    public static LearnerSyncRequest newAttempt(List<String> learnerIds, boolean force, String jobId) {
        return new LearnerSyncRequest(learnerIds, force, jobId, UUID.randomUUID().toString());
    }

    /** The same attempt for other learners (a request too large for one message). */
    public LearnerSyncRequest forLearners(List<String> others) {
        return new LearnerSyncRequest(others, force, jobId, attempt);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        learnerIds.forEach(node.putArray("learnerIds")::add);
        node.put("force", force);
        if (jobId != null) {
            node.put("jobId", jobId);
        }
        if (attempt != null) {
            node.put("attempt", attempt);
        }
        return node;
    }

    /** @throws IllegalArgumentException when the payload names no learner */
    public static LearnerSyncRequest from(JsonNode payload) {
        List<String> ids = new ArrayList<>();
        payload.path("learnerIds").forEach(id -> ids.add(id.asText()));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a learner-sync message names no learner");
        }
        return new LearnerSyncRequest(ids, payload.path("force").asBoolean(false), text(payload, "jobId"),
                text(payload, "attempt"));
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
