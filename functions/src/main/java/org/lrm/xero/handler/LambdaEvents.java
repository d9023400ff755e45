package org.lrm.xero.handler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda's event and answer JSON, read and written by the functions themselves (see
 * {@link JsonEventHandler}): API Gateway's HTTP API payload 2.0, SQS batches and their partial
 * failures, EventBridge schedules. Names match case-insensitively, as AWS spells some of them
 * differently from the event classes ({@code Records}, {@code eventSourceARN}); fields AWS adds
 * later are ignored; an answer leaves out what is null.
 */
final class LambdaEvents {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(ScheduledEvent.class, ScheduledEventJson.class)
            .build();

    /**
     * EventBridge spells {@code detail-type} with a hyphen. A schedule's {@code time} is a Joda
     * DateTime in the event class, which this mapper has no module for; no function reads it (a
     * run asks its own clock).
     */
    @JsonIgnoreProperties({"time"})
    private abstract static class ScheduledEventJson {
        @JsonProperty("detail-type")
        abstract String getDetailType();

        @JsonProperty("detail-type")
        abstract void setDetailType(String detailType);
    }

    private LambdaEvents() {
    }

    static <T> T read(InputStream json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    static void write(OutputStream out, Object answer) throws IOException {
        MAPPER.writeValue(out, answer);
    }

    static byte[] bytes(Object event) throws IOException {
        return MAPPER.writeValueAsBytes(event);
    }

    /** An answer as written, to check what it says. */
    static JsonNode tree(byte[] answer) throws IOException {
        return MAPPER.readTree(answer);
    }
}
