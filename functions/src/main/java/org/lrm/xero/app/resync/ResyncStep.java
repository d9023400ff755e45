package org.lrm.xero.app.resync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

/**
 * One message on the resync-pages queue: a page of a Xero list, or the learners' push.
 *
 * @param collection for TRANSACTIONS: Payments, CreditNotes, Prepayments or Overpayments
 */
public record ResyncStep(String jobId, Type type, String collection, int page) {

    public static final String KIND = "resync-step";

    public enum Type { INVOICES, TRANSACTIONS, CONTACTS, LEARNERS }

    public static ResyncStep first(String jobId, ResyncJob.Phase phase) {
        return switch (phase) {
            case INVOICES -> new ResyncStep(jobId, Type.INVOICES, null, 1);
            case CONTACTS -> new ResyncStep(jobId, Type.CONTACTS, null, 1);
            case LEARNERS -> new ResyncStep(jobId, Type.LEARNERS, null, 1);
        };
    }

    public ResyncStep next() {
        return new ResyncStep(jobId, type, collection, page + 1);
    }

    /** Names the step within its job: the same step, however often delivered, is counted once. */
    public String key() {
        return type + (collection == null ? "" : "#" + collection) + "#" + page;
    }

    public WorkMessage message(String orgId, String tenantId) {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("jobId", jobId).put("type", type.name()).put("page", page);
        if (collection != null) {
            payload.put("collection", collection);
        }
        return WorkMessage.of(KIND, orgId, tenantId, Priority.BULK, payload);
    }

    /** @throws IllegalArgumentException when the payload is not a step */
    public static ResyncStep parse(JsonNode payload) {
        String jobId = payload.path("jobId").asText(null);
        String type = payload.path("type").asText(null);
        int page = payload.path("page").asInt(0);
        if (jobId == null || type == null || page < 1) {
            throw new IllegalArgumentException("not a resync step: " + payload);
        }
        return new ResyncStep(jobId, Type.valueOf(type), payload.path("collection").asText(null), page);
    }
}
