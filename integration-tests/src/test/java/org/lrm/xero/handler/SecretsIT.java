package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Metrics;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.SecretForms;
import org.lrm.xero.testing.WorkerRig;
import org.lrm.xero.testing.iam.CallLog;

/**
 * No token, client secret or webhook key leaves Secrets Manager. A full flow runs (connect through
 * a proxy in front of Xero's token endpoint that records every token issued, learners synced, an
 * access token expired and renewed, invoices by webhook, a PDF link, a re-sync of the last year with
 * learners, disconnect) and everything that leaves the functions is recorded as it happens, not
 * looked at once the queues are drained: every request to SQS (each send, whether a worker later
 * consumed it or not), EventBridge (each event put) and DynamoDB (each write), every log line
 * (JSON or not: standard output and error are captured too), and every answer of the API. Each is
 * searched for each secret as it is, URL-encoded and inside base64 or base64url text. Secrets
 * Manager's own requests are where the secrets belong: they are recorded too, as the control that
 * the recording sees a secret where there is one.
 */
@ExtendWith(AwsEmulator.class)
class SecretsIT {

    private EndToEndFlow flow;
    private TokenEndpointProxy identity;
    private final List<CallLog.Traffic> traffic = new CopyOnWriteArrayList<>();
    private final Consumer<CallLog.Traffic> listener = traffic::add;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private PrintStream stdout;
    private PrintStream stderr;

    @AfterEach
    void stop() {
        CallLog.stopListening(listener);
        System.setOut(stdout);
        System.setErr(stderr);
        Metrics.sinkToStdout();
        flow.close();
        identity.close();
    }

    @Test
    void noTokenSecretOrKeyLeavesSecretsManagerWhileTheFlowRunsAndPdfLinksExpireWithinFiveMinutes() throws Exception {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(new LineTee(stdout, output), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new LineTee(stderr, output), true, StandardCharsets.UTF_8));
        Metrics.sinkToStdout(); // to the standard output as it is now, as in Lambda
        CallLog.listen(listener);
        flow = EndToEndFlow.start();
        identity = new TokenEndpointProxy(flow.rig.sandbox.baseUri());
        flow.rig.extraEnvironment.put("XERO_IDENTITY_URL", identity.baseUri().toString());
        flow.connect();
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
        APIGatewayV2HTTPResponse disconnected = flow.recorded(new ConnectionApiHandler(flow.rig.root("ConnectionApiFunction",
                ConnectionRoot::of))).handleRequest(ApiEvents.route("DELETE /v1/xero/connection")
                .as(EndToEndFlow.ORG, "admin", "u-admin").build(), null);
        assertThat(disconnected.getStatusCode()).isEqualTo(204);
        CallLog.stopListening(listener);

        List<String> secrets = new ArrayList<>(identity.issuedTokens());
        assertThat(secrets).as("the connect and at least one renewal issued tokens").hasSizeGreaterThanOrEqualTo(4);
        assertThat(flow.logged("xero.token.refreshed")).isPositive();
        secrets.add(flow.rig.clientSecret());
        secrets.add(IntegrationRig.WEBHOOK_KEY);

        Map<String, List<String>> outside = new LinkedHashMap<>();
        outside.put("SQS sends", bodies("Sqs", "SendMessage", "SendMessageBatch"));
        outside.put("EventBridge puts", bodies("EventBridge", "PutEvents"));
        outside.put("DynamoDB writes", bodies("DynamoDb", "PutItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems", "DeleteItem"));
        outside.put("JSON log lines", List.copyOf(flow.log));
        outside.put("stdout and stderr lines", List.copyOf(output));
        outside.put("API answers", List.copyOf(flow.apiResponses));
        outside.put("DynamoDB items at the end", flow.everyItem());
        StringBuilder counts = new StringBuilder();
        outside.forEach((what, lines) -> counts.append(' ').append(what.replace(' ', '_')).append('=').append(lines.size()));
        System.out.println("SECRETS-RUN secrets=" + secrets.size() + counts);

        for (String queue : List.of("learner-sync\"", "invoice-events\"", "pdf-fetch\"", "resync-pages\"")) {
            assertThat(outside.get("SQS sends")).as("work sent to %s while the flow ran", queue).anyMatch(b -> b.contains(queue));
        }
        assertThat(outside.get("EventBridge puts")).as("ResyncCompleted published").anyMatch(b -> b.contains("ResyncCompleted"));
        assertThat(outside.get("JSON log lines")).hasSizeGreaterThan(50);
        assertThat(outside.get("stdout and stderr lines")).as("metrics are printed, one JSON line each").isNotEmpty();
        assertThat(outside.get("API answers")).as("connect, callback, bulk sync, invoices, PDF, re-sync, disconnect").hasSizeGreaterThan(15);
        // The control: where the secrets do belong, the same search finds them.
        List<String> secretsManager = bodies("SecretsManager", "CreateSecret", "PutSecretValue");
        assertThat(identity.issuedTokens()).as("the vault's writes hold the tokens").anyMatch(t -> secretsManager.stream()
                .anyMatch(b -> SecretForms.found(t, b)));
        for (String secret : secrets) {
            outside.forEach((what, lines) -> assertThat(lines).as("%s hold a secret (%s...)", what, secret.substring(0, 6))
                    .noneMatch(line -> SecretForms.found(secret, line)));
        }
    }

    /** An admin re-syncs the last year, invoices and learners; the page worker runs the job to its end. */
    private void resync() throws Exception {
        LocalDate today = LocalDate.ofInstant(flow.rig.clock.instant(), ZoneOffset.UTC);
        APIGatewayV2HTTPResponse started = flow.recorded(new ResyncApiHandler(flow.rig.root("ResyncApiFunction", ResyncRoot::of)))
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

    /** The recorded requests of {@code service}'s {@code operations}, as they went over the wire. */
    private List<String> bodies(String service, String... operations) {
        List<String> ops = List.of(operations);
        return traffic.stream().filter(t -> t.service().equals(service) && ops.contains(t.operation())).map(CallLog.Traffic::body).toList();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Writes through to {@code target} and keeps every line written, whatever it holds. */
    private static final class LineTee extends OutputStream {

        private final OutputStream target;
        private final List<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTee(OutputStream target, List<String> lines) {
            this.target = target;
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            target.write(b);
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            target.flush();
        }
    }
}
