package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lrm.xero.app.resync.ResyncEvents;
import org.lrm.xero.app.resync.ResyncJob;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** {@code ResyncCompleted} on the event bus (source {@code lrm.xero-integration}), for the LRM to notify staff. */
public final class EventBridgeResyncEvents implements ResyncEvents {

    public static final String SOURCE = "lrm.xero-integration";
    public static final String DETAIL_TYPE = "ResyncCompleted";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeResyncEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void completed(ResyncJob job) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("orgId", job.orgId());
        detail.put("jobId", job.jobId());
        detail.put("state", job.state().name());
        detail.put("from", job.from() == null ? null : job.from().toString());
        detail.put("to", job.to() == null ? null : job.to().toString());
        ResyncJob.Counts c = job.counts();
        detail.put("counts", Map.of("invoices", c.invoices(), "learners", c.learners(), "pdfs", c.pdfs(), "failed", c.failed()));
        detail.put("checked", job.checked().asMap());
        if (!job.reasons().isEmpty()) {
            detail.put("reasons", job.reasons());
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the event", e);
        }
        PutEventsResponse r = events.putEvents(p -> p.entries(e -> e.eventBusName(busName).source(SOURCE)
                .detailType(DETAIL_TYPE).detail(json)));
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused ResyncCompleted: " + r.entries().get(0).errorCode() + " "
                    + r.entries().get(0).errorMessage());
        }
    }
}
