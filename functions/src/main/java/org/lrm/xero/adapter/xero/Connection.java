package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/** One tenant the app is connected to, from {@code GET /connections}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Connection(
        @JsonProperty("id") String id,
        @JsonProperty("authEventId") String authEventId,
        @JsonProperty("tenantId") String tenantId,
        @JsonProperty("tenantType") String tenantType,
        @JsonProperty("tenantName") String tenantName,
        @JsonProperty("createdDateUtc") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant createdDateUtc,
        @JsonProperty("updatedDateUtc") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant updatedDateUtc) {
}
