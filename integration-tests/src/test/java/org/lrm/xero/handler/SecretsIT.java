package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A full flow (connect, learners synced, invoices by webhook, a token renewed, a PDF link,
 * disconnect) with every log line captured, then every DynamoDB item of every table and every
 * message left in any queue or DLQ scanned for the secrets the integration holds: each access,
 * refresh and id token Xero issued (recorded by a proxy in front of Xero's token endpoint), the
 * app's client secret and its webhook key. They belong in Secrets Manager only. The events the
 * integration publishes (ResyncCompleted, after a re-sync in the flow) are copied by an EventBridge
 * rule to a queue, as the LRM's rule would, and scanned with the other messages.
 */
@ExtendWith(AwsEmulator.class)
class SecretsIT {

    private EndToEndFlow flow;
    private TokenEndpointProxy identity;

    @AfterEach
    void stop() {
        flow.close();
        identity.close();
    }

    @Test
    void noTokenSecretOrKeyReachesLogsTablesOrQueuesAndPdfLinksExpireWithinFiveMinutes() throws Exception {
        flow = EndToEndFlow.start();
        identity = new TokenEndpointProxy(flow.rig.sandbox.baseUri());
        flow.rig.extraEnvironment.put("XERO_IDENTITY_URL", identity.baseUri().toString());
        flow.connect();
        String events = flow.rig.eventsToQueue("every-integration-event", "{\"source\":[\"lrm.xero-integration\"]}");
        flow.bulkSync(0, 10);
        flow.settle();
        flow.faults(Map.of("expireTokensNow", true));
        flow.financeRaisesInvoices(5);
        flow.settle();
        flow.check();

        JsonNode invoice = Json.MAPPER.readTree(flow.invoiceApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/invoices")
                .path("learnerId", "L-0").asLearner(EndToEndFlow.ORG, "L-0").build(), null).getBody()).at("/invoices/0");
        APIGatewayV2HTTPResponse pdf = flow.invoiceApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf")
                .path("learnerId", "L-0").path("invoiceId", invoice.get("invoiceId").asText()).asLearner(EndToEndFlow.ORG, "L-0").build(), null);
        assertThat(pdf.getStatusCode()).isEqualTo(302);
        assertThat(Integer.parseInt(query(URI.create(pdf.getHeaders().get("location"))).get("X-Amz-Expires"))).isBetween(1, 300);

        resync();
        List<Message> published = flow.messagesIn(events);
        assertThat(published).as("events published").hasSize(1);
        assertThat(Json.MAPPER.readTree(published.get(0).body()).get("detail-type").asText()).isEqualTo("ResyncCompleted");

        APIGatewayV2HTTPResponse disconnected = new ConnectionApiHandler(flow.rig.root("ConnectionApiFunction",
                ConnectionRoot::of)).handleRequest(ApiEvents.route("DELETE /v1/xero/connection")
                .as(EndToEndFlow.ORG, "admin", "u-admin").build(), null);
        assertThat(disconnected.getStatusCode()).isEqualTo(204);

        Set<String> tokens = identity.issuedTokens();
        assertThat(tokens).as("the connect and at least one refresh issued tokens").hasSizeGreaterThanOrEqualTo(4);
        assertThat(flow.logged("xero.token.refreshed")).isPositive();
        List<String> secrets = new ArrayList<>(tokens);
        secrets.add(flow.rig.clientSecret());
        secrets.add(IntegrationRig.WEBHOOK_KEY);

        List<String> items = flow.everyItem();
        List<String> messages = everyMessage();
        assertThat(flow.log).as("log lines").hasSizeGreaterThan(50);
        assertThat(items).as("DynamoDB items").hasSizeGreaterThan(30);
        System.out.println("SECRETS-RUN secrets=" + secrets.size() + " logLines=" + flow.log.size() + " items=" + items.size()
                + " queueMessages=" + messages.size() + " events=" + published.size());
        for (String secret : secrets) {
            assertThat(flow.log).as("log lines").noneMatch(line -> line.contains(secret));
            assertThat(items).as("DynamoDB items").noneMatch(item -> item.contains(secret));
            assertThat(messages).as("queue messages").noneMatch(m -> m.contains(secret));
        }
    }

    /** An admin re-syncs the last year, invoices and learners; the page worker runs the job to its end. */
    private void resync() throws Exception {
        LocalDate today = LocalDate.ofInstant(flow.rig.clock.instant(), ZoneOffset.UTC);
        APIGatewayV2HTTPResponse started = new ResyncApiHandler(flow.rig.root("ResyncApiFunction", ResyncRoot::of))
                .handleRequest(ApiEvents.route("POST /v1/xero/resync")
                .json("{\"from\":\"" + today.minusYears(1) + "\",\"to\":\"" + today + "\",\"invoices\":true,\"learners\":true}")
                .as(EndToEndFlow.ORG, "admin", "u-admin").build(), null);
        assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(202);
        ResyncPageWorker pages = new ResyncPageWorker(flow.rig.root("ResyncPageWorkerFunction", ResyncRoot::of),
                EndToEndFlow.TEST_TIME);
        WorkerRig pageRig = new WorkerRig(flow.rig.aws.sqs(), flow.settings.resyncPagesQueueUrl(),
                e -> pages.handleRequest(e, null), flow.rig.admin, flow.rig.clock, 1);
        for (int pass = 0; pageRig.inQueue(flow.settings.resyncPagesQueueUrl()) > 0; pass++) {
            assertThat(pass).as("re-sync steps done within 20 passes").isLessThan(20);
            pageRig.pass();
            flow.advance(Duration.ofSeconds(61));
        }
        flow.settle(); // the learners it pushed again
    }

    /** Bodies and attributes of every message in every queue and DLQ. */
    private List<String> everyMessage() {
        List<String> out = new ArrayList<>();
        for (String url : flow.rig.aws.sqs().listQueues().queueUrls()) {
            for (Message m : flow.messagesIn(url)) {
                out.add(m.body() + " " + m.messageAttributes());
            }
        }
        return out;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}
