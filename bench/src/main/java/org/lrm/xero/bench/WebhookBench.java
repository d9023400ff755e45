package org.lrm.xero.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.domain.invoice.WebhookPayload;
import org.lrm.xero.handler.InvoiceRoot;
import org.lrm.xero.handler.InvoiceWorker;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.handler.WebhookReceiverHandler;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;

/**
 * A burst of Xero webhook events: finance raised invoices for learners, and Xero tells the
 * integration about each change, 50 events to a signed delivery. Each delivery is timed to its
 * answer (in process, and over HTTP through the local API bridge); then the invoice worker, one
 * instance, works the queue off; the events it marked processed are counted against those sent.
 */
final class WebhookBench {

    static final int EVENTS_PER_DELIVERY = 50;

    /** Answer times of one burst, in milliseconds. */
    record Answers(double p50, double p99, double max, int deliveries, int non200) {
    }

    record Outcome(int eventsSent, int invoices, Answers inProcess, Answers overHttp, int eventsProcessed, int invoicesStored,
                   Duration sandboxTimeToProcessed, Drain.Outcome drain, double wallSecondsToProcessed) {
        double eventsPerBusySecond() {
            return eventsSent / drain.busySeconds();
        }
    }

    private final IntegrationRig rig;

    WebhookBench(IntegrationRig rig) {
        this.rig = rig;
    }

    /**
     * @param contactIds the learners' Xero contacts (already linked) the invoices are raised for
     * @param eventsPerInvoice an invoice's CREATE and the UPDATEs after it (payments, edits)
     */
    Outcome run(String orgId, String tenantId, List<String> contactIds, int invoices, int eventsPerInvoice) throws Exception {
        FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenantId), tenantId);
        LocalDate day = LocalDate.of(2027, 2, 1);
        List<String> invoiceIds = new ArrayList<>(invoices);
        for (int i = 0; i < invoices; i++) {
            invoiceIds.add(finance.raiseInvoice(contactIds.get(i % contactIds.size()), "WH" + i,
                    BigDecimal.valueOf(250_00 + i, 2), day.plusDays(i % 28), day.plusDays(30 + i % 28)));
        }
        List<byte[]> deliveries = deliveries(tenantId, invoiceIds, eventsPerInvoice);
        Set<String> sentKeys = new LinkedHashSet<>();
        for (byte[] d : deliveries) {
            WebhookPayload.parse(d).events().forEach(e -> sentKeys.add(e.dedupeKey()));
        }

        WebhookReceiverHandler receiver = new WebhookReceiverHandler(rig.root("WebhookReceiverFunction", InvoiceRoot::of));
        Settings settings = rig.settings("InvoiceWorkerFunction");
        InvoiceWorker worker = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), LearnerBench.RIG_TIME);
        String queue = settings.invoiceEventsQueueUrl();

        long wall0 = System.nanoTime();
        Instant sandbox0 = rig.admin.now();
        Answers inProcess = inProcess(receiver, deliveries);
        WorkerRig one = new WorkerRig(rig.aws.sqs(), queue, e -> worker.handleRequest(e, null), rig.admin, rig.clock, 1);
        Drain.Outcome drained = Drain.run(one, queue, Duration.ofMinutes(6));
        Duration sandboxTime = Duration.between(sandbox0, rig.admin.now());
        double wall = (System.nanoTime() - wall0) / 1e9;

        InvoiceStore store = new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName());
        int processed = count(store, orgId, sentKeys);
        int stored = 0;
        for (int i = 0; i < invoiceIds.size(); i += 100) {
            stored += store.findAll(orgId, invoiceIds.subList(i, Math.min(i + 100, invoiceIds.size()))).size();
        }

        // Xero delivers again whatever it is not sure arrived: the same burst over HTTP, answer times only.
        Answers http;
        try (HttpApiBridge bridge = HttpApiBridge.start().route("POST /v1/xero/webhooks", receiver)) {
            http = overHttp(bridge.baseUri().resolve("/v1/xero/webhooks"), deliveries);
        }
        rig.aws.sqs().purgeQueue(b -> b.queueUrl(queue));
        return new Outcome(sentKeys.size(), invoices, inProcess, http, processed, stored, sandboxTime, drained, wall);
    }

    private static int count(InvoiceStore store, String orgId, Set<String> keys) {
        List<String> all = new ArrayList<>(keys);
        int n = 0;
        for (int i = 0; i < all.size(); i += 100) {
            n += store.processedEvents(orgId, all.subList(i, Math.min(i + 100, all.size()))).size();
        }
        return n;
    }

    /** Xero's payloads: INVOICE events, oldest first, in deliveries of 50 with running sequence numbers. */
    private static List<byte[]> deliveries(String tenantId, List<String> invoiceIds, int eventsPerInvoice) {
        List<ObjectNode> events = new ArrayList<>();
        Instant at = Instant.parse("2027-02-01T09:00:00Z");
        for (int round = 0; round < eventsPerInvoice; round++) {
            for (String id : invoiceIds) {
                at = at.plusMillis(250);
                events.add(Report.JSON.createObjectNode()
                        .put("resourceUrl", "https://api.xero.com/api.xro/2.0/Invoices/" + id)
                        .put("resourceId", id).put("eventDateUtc", at.toString())
                        .put("eventType", round == 0 ? "CREATE" : "UPDATE").put("eventCategory", "INVOICE")
                        .put("tenantId", tenantId).put("tenantType", "ORGANISATION"));
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i += EVENTS_PER_DELIVERY) {
            ObjectNode payload = Report.JSON.createObjectNode();
            ArrayNode array = payload.putArray("events");
            events.subList(i, Math.min(i + EVENTS_PER_DELIVERY, events.size())).forEach(array::add);
            payload.put("firstEventSequence", i + 1).put("lastEventSequence", Math.min(i + EVENTS_PER_DELIVERY, events.size()))
                    .put("entropy", "BENCH" + i);
            out.add(payload.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** As Xero signs: base64 of HMAC-SHA256 over the raw body with the webhook key. */
    static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(IntegrationRig.WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static Answers inProcess(WebhookReceiverHandler receiver, List<byte[]> deliveries) throws Exception {
        double[] ms = new double[deliveries.size()];
        int non200 = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            byte[] body = deliveries.get(i);
            var event = ApiEvents.route("POST /v1/xero/webhooks").header("x-xero-signature", sign(body))
                    .header("content-type", "application/json").body(new String(body, StandardCharsets.UTF_8), false).build();
            long t0 = System.nanoTime();
            APIGatewayV2HTTPResponse answer = receiver.handleRequest(event, null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            non200 += answer.getStatusCode() == 200 ? 0 : 1;
        }
        return answers(ms, non200);
    }

    private static Answers overHttp(URI url, List<byte[]> deliveries) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Opens the connection (and loads the client's classes): an unsigned delivery, which the receiver refuses.
        http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.discarding());
        double[] ms = new double[deliveries.size()];
        int non200 = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            byte[] body = deliveries.get(i);
            HttpRequest request = HttpRequest.newBuilder(url).header("x-xero-signature", sign(body))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            long t0 = System.nanoTime();
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            non200 += answer.statusCode() == 200 ? 0 : 1;
        }
        return answers(ms, non200);
    }

    static Answers answers(double[] ms, int non200) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Answers(percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1], sorted.length, non200);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static Map<String, Object> raw(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventsSent", o.eventsSent());
        m.put("invoices", o.invoices());
        m.put("answersInProcessMs", o.inProcess());
        m.put("answersOverHttpMs", o.overHttp());
        m.put("eventsProcessed", o.eventsProcessed());
        m.put("invoicesStored", o.invoicesStored());
        m.put("sandboxSecondsToProcessed", o.sandboxTimeToProcessed().toSeconds());
        m.put("clockAdvancedSeconds", o.drain().advancedSeconds());
        m.put("workerBusySeconds", o.drain().busySeconds());
        m.put("wallSecondsToProcessed", o.wallSecondsToProcessed());
        return m;
    }
}
