package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.RepoPaths;

/** The functions read Lambda's events and write its answers themselves: the sample events in events/ read, the answers in Lambda's shapes. */
class LambdaEventsTest {

    private static <T> T sample(String file, Class<T> type) throws Exception {
        try (InputStream in = Files.newInputStream(RepoPaths.root().resolve("events").resolve(file))) {
            return LambdaEvents.read(in, type);
        }
    }

    private static JsonNode written(Object answer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEvents.write(out, answer);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void anHttpApiEventKeepsItsRouteClaimsHeadersAndBody() throws Exception {
        APIGatewayV2HTTPEvent put = sample("learner-api-put.json", APIGatewayV2HTTPEvent.class);

        assertThat(put.getRouteKey()).isEqualTo("PUT /v1/learners/{learnerId}");
        assertThat(put.getPathParameters()).containsEntry("learnerId", "L-1");
        assertThat(put.getHeaders()).containsEntry("content-type", "application/json");
        assertThat(put.getRequestContext().getAuthorizer().getJwt().getClaims()).containsKeys("sub", "org", "role");
        assertThat(put.getBody()).contains("refInternal");

        APIGatewayV2HTTPEvent callback = sample("oauth-callback.json", APIGatewayV2HTTPEvent.class);
        assertThat(callback.getQueryStringParameters()).containsKeys("code", "state");
        assertThat(callback.getIsBase64Encoded()).isFalse();
    }

    @Test
    void aBase64BodyIsFlaggedAsLambdaSendsIt() throws Exception {
        APIGatewayV2HTTPEvent event = LambdaEvents.read(new java.io.ByteArrayInputStream(
                "{\"routeKey\":\"POST /v1/xero/webhooks\",\"body\":\"e30=\",\"isBase64Encoded\":true}".getBytes()),
                APIGatewayV2HTTPEvent.class);

        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(event.getBody()).isEqualTo("e30=");
    }

    @Test
    void anSqsBatchKeepsEachRecordAsAwsSpellsIt() throws Exception {
        SQSEvent batch = sample("learner-sync-worker.json", SQSEvent.class);

        assertThat(batch.getRecords()).isNotEmpty().allSatisfy(record -> {
            assertThat(record.getMessageId()).isNotBlank();
            assertThat(record.getReceiptHandle()).isNotBlank();
            assertThat(record.getBody()).isNotBlank();
            assertThat(record.getEventSourceArn()).startsWith("arn:aws:sqs:");
            assertThat(record.getAttributes()).containsKey("ApproximateReceiveCount");
        });
    }

    @Test
    void everySqsSampleCarriesAWorkMessageOfItsWorkersKind() throws Exception {
        Map<String, String> kindOf = Map.of("learner-sync-worker.json", "learner-sync", "invoice-worker.json", "xero-events",
                "pdf-worker.json", "invoice-pdf", "resync-page-worker.json", "resync-step", "scheduled-worker.json", "poll");
        for (Map.Entry<String, String> sample : kindOf.entrySet()) {
            for (SQSEvent.SQSMessage record : sample(sample.getKey(), SQSEvent.class).getRecords()) {
                WorkMessage message = WorkMessage.parse(record.getBody());
                assertThat(message.kind()).as(sample.getKey()).isEqualTo(sample.getValue());
                assertThat(message.orgId()).as(sample.getKey()).isNotBlank();
                assertThat(message.payload()).as(sample.getKey()).isNotNull();
            }
        }
    }

    @Test
    void aScheduleKeepsItsSourceAndDetailType() throws Exception {
        ScheduledEvent nightly = sample("nightly-sync.json", ScheduledEvent.class);

        assertThat(nightly.getSource()).isEqualTo("aws.events");
        assertThat(nightly.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(nightly.getResources()).isNotEmpty();
    }

    @Test
    void anHttpAnswerIsWrittenInPayloadFormatTwoWithoutNulls() throws Exception {
        JsonNode answer = written(APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                .withHeaders(Map.of("content-type", "application/json")).withBody("{\"ok\":true}").build());

        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
        assertThat(answer.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(answer.get("body").asText()).isEqualTo("{\"ok\":true}");
        assertThat(answer.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(answer.has("cookies")).isFalse();
        assertThat(answer.has("multiValueHeaders")).isFalse();
    }

    @Test
    void aBatchAnswerNamesTheMessagesToRetry() throws Exception {
        JsonNode answer = written(new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m-2"))));

        assertThat(answer.get("batchItemFailures").get(0).get("itemIdentifier").asText()).isEqualTo("m-2");
    }

    @Test
    void aScheduledRunAnswersNull() throws Exception {
        assertThat(written(null).isNull()).isTrue();
    }

    @Test
    void everySampleEventReadsAsItsFunctionsEvent() throws Exception {
        Map<String, Class<?>> typeOf = Map.of("Records", SQSEvent.class, "routeKey", APIGatewayV2HTTPEvent.class,
                "detail-type", ScheduledEvent.class);
        int read = 0;
        try (var files = Files.list(RepoPaths.root().resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode json = Json.MAPPER.readTree(file.toFile());
                for (Map.Entry<String, Class<?>> kind : typeOf.entrySet()) {
                    if (json.has(kind.getKey())) {
                        assertThat(sample(file.getFileName().toString(), kind.getValue())).as(file.toString()).isNotNull();
                        read++;
                    }
                }
            }
        }
        assertThat(read).as("sample events of the three kinds").isGreaterThanOrEqualTo(13);
    }
}
