package org.lrm.xero.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.XeroInvoiceMatch;

/**
 * The demo's second half: finance invoices the synced learners in Xero (payments, credit notes, a
 * prepayment and an overpayment among them); webhooks and the transaction poll bring it back; a
 * re-sync of a date range goes over it again; then every learner's invoices through the gateway
 * must equal Xero's.
 */
final class DemoInvoices {

    /** Invoice events share each minute's 60 Xero calls with PDF fetches: 400 invoices take minutes. */
    private static final Duration SETTLE_DEADLINE = Duration.ofMinutes(15);
    private static final Duration POLL_EVERY = Duration.ofSeconds(20);

    private final LocalRun run;
    private final Demo demo;
    private final GatewayClient gateway;
    private final String tenantId;
    private final Map<String, String> contactOfLearner;
    private final PrintStream out;
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    DemoInvoices(LocalRun run, Demo demo, String tenantId, Map<String, String> contactOfLearner, PrintStream out) {
        this.run = run;
        this.demo = demo;
        this.gateway = demo.gateway();
        this.tenantId = tenantId;
        this.contactOfLearner = contactOfLearner;
        this.out = out;
    }

    void run() {
        Map<String, Integer> invoicesPer = financeAtWork();
        IntSummaryStatistics perLearner = invoicesPer.values().stream().mapToInt(Integer::intValue).summaryStatistics();
        demo.row("invoices per learner", String.format("min %d, avg %.1f, max %d (%d in all)", perLearner.getMin(),
                perLearner.getAverage(), perLearner.getMax(), perLearner.getSum()));

        demo.step("webhooks and the transaction poll bring the invoices back");
        run.sandboxAdmin().deliverWebhooksNow();
        List<String> differences = settle();
        resync();
        // What the re-sync changed is compared again: it must have left every learner's invoices equal to Xero's.
        differences = differences();
        long invoices = perLearner.getSum();
        int stored = pdfsStored();
        demo.row("PDFs stored", stored + " of " + invoices + (stored < invoices
                ? " (the rest still queued: PDFs wait behind Xero's 60 calls a minute)" : ""));
        JsonNode app = run.sandboxAdmin().stats().at("/apps/" + LocalRun.CLIENT_ID);
        demo.row("webhooks delivered", app.path("eventsDelivered").asText("0") + " events in "
                + app.path("deliveriesSent").asText("0") + " deliveries");
        differences.forEach(demo::problem);
    }

    /** What finance does in Xero, through its API with a user's token. @return invoices raised per learner */
    private Map<String, Integer> financeAtWork() {
        demo.step("finance raises invoices in Xero with payments, credit notes, a prepayment and an overpayment");
        FinanceDesk finance = new FinanceDesk(run.sandboxUri(), run.sandboxAdmin().userToken(tenantId), tenantId);
        Map<String, Integer> invoicesPer = new LinkedHashMap<>();
        int payments = 0;
        int creditNotes = 0;
        List<String> learners = new ArrayList<>(contactOfLearner.keySet());
        for (int i = 0; i < learners.size(); i++) {
            String contact = contactOfLearner.get(learners.get(i));
            List<String> invoices = new ArrayList<>();
            for (int j = 0; j <= i % 3; j++) {
                invoices.add(finance.raiseInvoice(contact, learners.get(i) + "-T" + (j + 1), money(400 + 10 * j + i % 50),
                        today.minusDays(20 - j), today.plusDays(10 + j)));
            }
            invoicesPer.put(learners.get(i), invoices.size());
            if (i % 2 == 0) {
                finance.pay(invoices.get(0), money(400 + i % 50), today.minusDays(5));      // in full
                payments++;
            } else if (i % 4 == 1) {
                finance.pay(invoices.get(0), money(150), today.minusDays(4));               // in part
                payments++;
            }
            if (i % 10 == 3) {
                String creditNote = finance.creditNote(contact, money(100), today.minusDays(3));
                finance.allocateCreditNote(creditNote, invoices.get(0), money(100), today.minusDays(3));
                creditNotes++;
            }
            if (i == 1) {
                String prepayment = finance.receivePrepayment(contact, money(300), today.minusDays(30));
                finance.allocatePrepayment(prepayment, invoices.get(1), money(300), today.minusDays(2));
            }
            if (i == 2) {
                String overpayment = finance.receiveOverpayment(contact, money(75.33), today.minusDays(6));
                finance.allocateOverpayment(overpayment, invoices.get(1), money(75.33), today.minusDays(1));
            }
            if ((i + 1) % 50 == 0) {
                out.println("  finance has invoiced " + (i + 1) + " of " + learners.size() + " learners");
            }
        }
        demo.row("finance in Xero", payments + " payments, " + creditNotes + " credit notes, 1 prepayment, 1 overpayment");
        return invoicesPer;
    }

    /** Until every learner's invoices equal Xero's; the poll runs on its schedule, here triggered every so often. */
    private List<String> settle() {
        Instant deadline = Instant.now().plus(SETTLE_DEADLINE);
        Instant nextPoll = Instant.now();
        List<String> differences = List.of();
        while (Instant.now().isBefore(deadline)) {
            if (!Instant.now().isBefore(nextPoll)) {
                gateway.expect(200, gateway.send("POST", "/local/schedules/TransactionPoll", null, null));
                nextPoll = Instant.now().plus(POLL_EVERY);
            }
            differences = differences();
            out.println("  learners whose invoices equal Xero's: " + (contactOfLearner.size() - differences.size())
                    + " of " + contactOfLearner.size());
            if (differences.isEmpty()) {
                return differences;
            }
        }
        return differences;
    }

    private void resync() {
        LocalDate from = today.minusDays(19);
        LocalDate to = today.minusDays(18);
        demo.step("re-syncing invoices dated " + from + " to " + to + " (POST /v1/xero/resync)");
        JsonNode started = gateway.expect(202, gateway.send("POST", "/v1/xero/resync", demo.adminToken(),
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"invoices\":true,\"learners\":false}"));
        String jobId = started.get("jobId").asText();
        Instant deadline = Instant.now().plus(SETTLE_DEADLINE);
        JsonNode job = started;
        while (Instant.now().isBefore(deadline)) {
            job = gateway.expect(200, gateway.send("GET", "/v1/xero/resync/" + jobId, demo.staffToken(), null));
            String state = job.path("state").asText();
            if (state.equals("DONE") || state.equals("FAILED")) {
                break;
            }
        }
        out.println("  " + job);
        demo.row("re-sync " + from + ".." + to, job.path("state").asText() + ", changed " + job.path("counts")
                + ", checked " + job.path("checked"));
        if (!job.path("state").asText().equals("DONE")) {
            demo.problem("the re-sync ended " + job.path("state").asText("unfinished"));
        }
    }

    /** One line per learner whose invoices differ from Xero's. */
    private List<String> differences() {
        JsonNode state = run.sandboxAdmin().state(tenantId);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> learner : contactOfLearner.entrySet()) {
            JsonNode listed = gateway.expect(200, gateway.send("GET", "/v1/learners/" + learner.getKey() + "/invoices",
                    demo.staffToken(), null)).get("invoices");
            Map<String, String> ours = XeroInvoiceMatch.ours(listed);
            Map<String, String> xeros = XeroInvoiceMatch.xeros(state, Set.of(learner.getValue()));
            if (!ours.equals(xeros)) {
                differences.add("learner " + learner.getKey() + ": ours " + ours + " but Xero's " + xeros);
            }
        }
        return differences;
    }

    private int pdfsStored() {
        String bucket = run.environment().get("PDF_BUCKET");
        return run.aws().s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().mapToInt(o -> 1).sum();
    }

    private static BigDecimal money(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, java.math.RoundingMode.HALF_UP);
    }
}
