package org.lrm.xero.app.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.support.Json;

/**
 * The payload of a learner-sync work message: which learners to push, whether to push them even
 * when Xero already holds their details (Manual Sync), and the bulk job they belong to.
 */
public record LearnerSyncRequest(List<String> learnerIds, boolean force, String jobId) {

    public static final String KIND = "learner-sync";

    public LearnerSyncRequest {
        learnerIds = List.copyOf(learnerIds);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        learnerIds.forEach(node.putArray("learnerIds")::add);
        node.put("force", force);
        if (jobId != null) {
            node.put("jobId", jobId);
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
        JsonNode job = payload.get("jobId");
        return new LearnerSyncRequest(ids, payload.path("force").asBoolean(false),
                job == null || job.isNull() ? null : job.asText());
    }
}
