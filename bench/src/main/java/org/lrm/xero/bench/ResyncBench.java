package org.lrm.xero.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.handler.ResyncApiHandler;
import org.lrm.xero.handler.ResyncPageWorker;
import org.lrm.xero.handler.ResyncRoot;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.FinanceYear;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;

/**
 * A re-sync of a year of invoices as an admin starts it: finance's year in the sandbox, the job
 * started through the re-sync API, the page worker run off its queue (three instances) until the
 * job is DONE, both clocks moved on whenever the work waits for Xero's budget, and every record
 * compared with Xero's. Xero calls are counted by the sandbox. The PDFs it queued are counted, not
 * fetched: one call each, they take days of Xero's limits, and replaying those days here would
 * take far longer than the benchmark may (every waiting message comes back each sandbox minute).
 */
final class ResyncBench {

    /**
     * @param pdfsQueued PDF fetches queued for prefetch: one Xero call each (Xero has no bulk PDF)
     * @param pdfMessages the messages they were queued in (25 PDFs to one, a page's to its own)
     */
    record Run(int dayLimit, int learners, int invoices, String state, long recordCalls, JsonNode recordCallsByEndpoint,
            Duration recordsTime, Duration waitedForXero, int recordsWrong, int pdfsQueued, int pdfMessages, int expectedRecords,
            double wallSeconds) {
    }

    private final IntegrationRig rig;

    ResyncBench(IntegrationRig rig) {
        this.rig = rig;
    }

    Run run(String org, int dayLimit, int learnerCount, int invoiceCount) throws Exception {
        long t0 = System.nanoTime();
        Settings settings = rig.settings("ResyncPageWorkerFunction");
        String tenant = rig.connect(org, "Resync College " + dayLimit, dayLimit);
        // The integration is not told the organisation's day limit: it learns it from Xero's first answers.
        FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant);
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusYears(1).plusDays(1);
        FinanceYear.Year year = FinanceYear.raise(finance, new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName()),
                org, rig.clock, from, today, learnerCount, invoiceCount);
        // The year was entered over the year: the re-sync starts a day later, with the day's Xero budget its own.
        rig.advance(Duration.ofDays(1).plusMinutes(1));

        ResyncApiHandler api = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of));
        long callsBefore = appCalls(tenant);
        JsonNode byEndpointBefore = byEndpoint(tenant);
        Instant started = rig.clock.instant();
        APIGatewayV2HTTPResponse r = api.handleRequest(ApiEvents.route("POST /v1/xero/resync")
                .json("{\"from\":\"" + from + "\",\"to\":\"" + today + "\",\"invoices\":true,\"learners\":false}")
                .as(org, "admin", "u-admin").build(), null);
        if (r.getStatusCode() != 202) {
            throw new IllegalStateException("re-sync not started: " + r.getBody());
        }
        String jobId = Json.MAPPER.readTree(r.getBody()).get("jobId").asText();

        ResyncPageWorker pageWorker = new ResyncPageWorker(rig.root("ResyncPageWorkerFunction", ResyncRoot::of),
                LearnerBench.RIG_TIME);
        long processing = System.nanoTime();
        Drain.run(new WorkerRig(rig.aws.sqs(), settings.resyncPagesQueueUrl(), e -> pageWorker.handleRequest(e, null),
                rig.admin, rig.clock, 3), settings.resyncPagesQueueUrl(), Duration.ofMinutes(15));
        // The clocks move only when the work waits for Xero; the work itself took real time here.
        Duration waited = Duration.between(started, rig.clock.instant());
        Duration recordsTime = waited.plusNanos(System.nanoTime() - processing);
        long recordCalls = appCalls(tenant) - callsBefore;
        JsonNode recordsByEndpoint = minus(byEndpoint(tenant), byEndpointBefore);
        String state = Json.MAPPER.readTree(api.handleRequest(ApiEvents.route("GET /v1/xero/resync/{jobId}").path("jobId", jobId)
                .as(org, "staff", "u-staff").build(), null).getBody()).get("state").asText();
        DynamoInvoiceStore store = new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName());
        List<String> wrong = FinanceYear.differences(year, rig.admin.state(tenant), store);

        // One PDF fetch per changed invoice, one Xero call each, 25 to a message; counted, then emptied for the next run.
        int pdfMessages = WorkerRig.inQueue(rig.aws.sqs(), settings.pdfFetchQueueUrl());
        int pdfsQueued = WorkerRig.pdfsNamed(rig.aws.sqs(), settings.pdfFetchQueueUrl());
        rig.aws.sqs().purgeQueue(b -> b.queueUrl(settings.pdfFetchQueueUrl()));
        return new Run(dayLimit, learnerCount, invoiceCount, state, recordCalls, recordsByEndpoint, recordsTime, waited,
                wrong.size(), pdfsQueued, pdfMessages, year.expected().size(), (System.nanoTime() - t0) / 1e9);
    }

    private long appCalls(String tenant) {
        return rig.admin.stats().at("/tenants/" + tenant + "/appCalls").asLong();
    }

    private JsonNode byEndpoint(String tenant) {
        return rig.admin.stats().at("/tenants/" + tenant + "/appCallsByEndpoint").deepCopy();
    }

    private static JsonNode minus(JsonNode after, JsonNode before) {
        var out = Json.MAPPER.createObjectNode();
        after.fields().forEachRemaining(e -> {
            long n = e.getValue().asLong() - before.path(e.getKey()).asLong(0);
            if (n > 0) {
                out.put(e.getKey(), n);
            }
        });
        return out;
    }
}
