package org.lrm.xero.app.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

/**
 * The envelope of every message on the work queues.
 *
 * @param kind what to do (e.g. {@code learner-sync}); each worker knows its kinds
 * @param tenantId the Xero tenant, when known at send time
 * @param payload the kind's own JSON
 * @param deferrals how often the message was re-sent to wait for budget (reset by DLQ replay)
 * @param notBefore when set, the work waits until then without calling Xero (waits longer than SQS's 15-minute delay)
 * @param xeroFailures how often in a row Xero failed this work (5xx, timeout, token endpoint down): the
 *                     exponent of its back-off ({@link OutageBackoff})
 * @param xeroFailingSince when Xero first failed this work in that row: it is dead-lettered once this is
 *                         {@link OutageBackoff#giveUpAfter()} old
 * @param parkedSince when the work first waited for its organisation to connect: dropped once
 *                    {@link WorkOutcome#PARKED_AT_MOST} old
 */
public record WorkMessage(String kind, String orgId, String tenantId, Priority priority, JsonNode payload, int deferrals,
        Instant notBefore, int xeroFailures, Instant xeroFailingSince, Instant parkedSince) {

    public WorkMessage {
        if (kind == null || kind.isBlank() || orgId == null || orgId.isBlank()) {
            throw new IllegalArgumentException("a work message needs a kind and an orgId");
        }
        Objects.requireNonNull(priority, "priority");
        payload = payload == null ? Json.MAPPER.nullNode() : payload;
    }

    public static WorkMessage of(String kind, String orgId, String tenantId, Priority priority, JsonNode payload) {
        return new WorkMessage(kind, orgId, tenantId, priority, payload, 0, null, 0, null, null);
    }

    /** @throws IllegalArgumentException when {@code body} is not a work message */
    public static WorkMessage parse(String body) {
        try {
            WorkMessage message = Json.MAPPER.readValue(body, WorkMessage.class);
            if (message == null) {
                throw new IllegalArgumentException("empty work message");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a work message: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write work message", e);
        }
    }

    /** The copy re-sent to wait until {@code until}. */
    public WorkMessage deferredUntil(Instant until) {
        return new WorkMessage(kind, orgId, tenantId, priority, payload, deferrals + 1, until, xeroFailures,
                xeroFailingSince, parkedSince);
    }

    /** This work after one more failure of Xero's at {@code now}: the first of a row starts its clock. */
    public WorkMessage xeroFailedAt(Instant now) {
        return new WorkMessage(kind, orgId, tenantId, priority, payload, deferrals, notBefore, xeroFailures + 1,
                xeroFailingSince == null ? now : xeroFailingSince, parkedSince);
    }

    /** This work waiting for its organisation to connect, since {@code now} if it was not waiting already. */
    public WorkMessage parkedAt(Instant now) {
        return new WorkMessage(kind, orgId, tenantId, priority, payload, deferrals, notBefore, xeroFailures,
                xeroFailingSince, parkedSince == null ? now : parkedSince);
    }

    /**
     * What is left of this work after part of it was done, as {@code rest}: Xero answered meanwhile, so a row of
     * its failures (and a wait for the organisation to connect) is over; the deferrals made so far stay counted.
     */
    public WorkMessage continuedWith(JsonNode rest) {
        return new WorkMessage(kind, orgId, tenantId, priority, rest, deferrals, null, 0, null, null);
    }

    /** As sent back from the dead-letter queue: a fresh start. */
    public WorkMessage replayed() {
        return new WorkMessage(kind, orgId, tenantId, priority, payload, 0, null, 0, null, null);
    }
}
