package org.lrm.xero.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;

/**
 * A year of finance's work in Xero for the re-sync tests and the benchmark: learners whose
 * contacts exist in Xero (linked in our store as a sync would have), their invoices over the
 * range, a third paid in full or in part, credit notes, a prepayment and an overpayment applied;
 * an older invoice paid within the range (found only through its payment), an older untouched one
 * and walk-in customers' invoices (neither may reach a learner).
 */
public final class FinanceYear {

    /** Contacts and invoices per sandbox call: finance's own bulk calls. */
    private static final int PER_CALL = 500;

    /** What finance did: the learners' invoices of the range, and what must not reach a learner. */
    public record Year(String orgId, Set<String> learnerInvoices, String paidOutsideRange, Set<String> notForLearners) {
        /** The invoices a re-sync of the range must bring to learners' records. */
        public Set<String> expected() {
            Set<String> expected = new HashSet<>(learnerInvoices);
            expected.add(paidOutsideRange);
            return expected;
        }
    }

    private FinanceYear() {
    }

    /** Learners {@code L0..}, RefInternal {@code W100000..}, and their year from {@code from} to {@code to}. */
    public static Year raise(FinanceDesk finance, LearnerStore learners, String org, Clock clock, LocalDate from, LocalDate to,
            int learnerCount, int invoiceCount) throws Exception {
        List<String> contacts = learnersInXero(finance, learners, org, clock, learnerCount);
        int days = (int) (to.toEpochDay() - from.toEpochDay());
        List<FinanceDesk.InvoiceDraft> drafts = new ArrayList<>();
        for (int i = 0; i < invoiceCount; i++) {
            LocalDate date = from.plusDays((long) i * days / invoiceCount);
            drafts.add(new FinanceDesk.InvoiceDraft(contacts.get(i % learnerCount), "R" + i, money(100 + (i % 997) * 13.37),
                    date, date.plusDays(30)));
        }
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < invoiceCount; i += PER_CALL) {
            raised.addAll(finance.raiseInvoices(drafts.subList(i, Math.min(invoiceCount, i + PER_CALL))));
        }
        // Paid in full, in part, credited: about a third of the year's invoices.
        Map<String, BigDecimal> payments = new LinkedHashMap<>();
        for (int i = 0; i < invoiceCount; i += 3) {
            BigDecimal amount = drafts.get(i).amount();
            payments.put(raised.get(i), i % 2 == 0 ? amount : amount.divide(BigDecimal.valueOf(3), 2, RoundingMode.DOWN));
            if (payments.size() == PER_CALL) {
                finance.payAll(payments, to.minusDays(1));
                payments.clear();
            }
        }
        if (!payments.isEmpty()) {
            finance.payAll(payments, to.minusDays(1));
        }
        for (int i = 1; i < 40; i += 3) {
            String cn = finance.creditNote(contacts.get(i % learnerCount), money(50.25), from.plusDays(i));
            finance.allocateCreditNote(cn, raised.get(i), money(50.25), from.plusDays(i + 1));
        }
        String prepayment = finance.receivePrepayment(contacts.get(5), money(80), from.plusDays(3));
        finance.allocatePrepayment(prepayment, raised.get(5), money(80), from.plusDays(4));
        String overpayment = finance.receiveOverpayment(contacts.get(8), money(12.34), from.plusDays(6));
        finance.allocateOverpayment(overpayment, raised.get(8), money(12.34), from.plusDays(7));

        // Before the range: one invoice paid within it (found through its payment), one untouched.
        String paidLater = finance.raiseInvoice(contacts.get(7), "OLD-PAID", money(321.09), from.minusDays(20), from.plusDays(10));
        finance.pay(paidLater, money(21.09), from.plusDays(2));
        String untouched = finance.raiseInvoice(contacts.get(7), "OLD", money(99), from.minusDays(20), from.plusDays(10));
        // Finance's other customers in the range.
        Set<String> others = new HashSet<>(Set.of(untouched));
        for (int i = 0; i < 3; i++) {
            String walkIn = finance.createContact("Walk-in " + i);
            others.add(finance.raiseInvoice(walkIn, "X" + i, money(10 + i), from.plusDays(i), from.plusDays(i + 14)));
        }
        return new Year(org, new HashSet<>(raised), paidLater, others);
    }

    /**
     * Learners {@code L0..} (RefInternal {@code W100000..}) whose contacts finance's Xero holds,
     * linked in our store as a bulk sync would have left them. Returns the contact ids in order.
     */
    public static List<String> learnersInXero(FinanceDesk finance, LearnerStore learners, String org, Clock clock,
            int learnerCount) {
        List<String> names = new ArrayList<>();
        for (int n = 0; n < learnerCount; n++) {
            names.add("Learner " + n + " W" + (100_000 + n));
        }
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < learnerCount; i += PER_CALL) {
            contacts.addAll(finance.createContacts(names.subList(i, Math.min(learnerCount, i + PER_CALL))));
        }
        for (int i = 0; i < learnerCount; i += PER_CALL) {
            List<Learner> chunk = new ArrayList<>();
            List<LearnerStore.Synced> synced = new ArrayList<>();
            for (int n = i; n < Math.min(learnerCount, i + PER_CALL); n++) {
                chunk.add(new Learner("L" + n, "W" + (100_000 + n), "Learner", String.valueOf(n), null, null, null, true, List.of()));
                synced.add(new LearnerStore.Synced("L" + n, contacts.get(n), names.get(n), "W" + (100_000 + n), "fp"));
            }
            learners.save(org, chunk, chunk.stream().collect(Collectors.toMap(Learner::learnerId, l -> SyncState.PENDING)),
                    clock.instant());
            learners.recordSynced(org, synced, clock.instant());
        }
        return contacts;
    }

    /**
     * How the records we hold differ from Xero's invoices (the sandbox's state): an invoice missing
     * or extra, or a record whose status, amounts, payments or contact differ. Empty when every
     * record is right.
     */
    public static List<String> differences(Year year, JsonNode sandboxState, InvoiceStore store) {
        Map<String, JsonNode> xero = new HashMap<>();
        sandboxState.get("Invoices").forEach(i -> xero.put(i.get("InvoiceID").asText(), i));
        Map<String, StoredInvoice> stored = store.findAll(year.orgId(), xero.keySet());
        List<String> out = new ArrayList<>();
        Set<String> expected = year.expected();
        expected.stream().filter(id -> !stored.containsKey(id)).forEach(id -> out.add(id + ": missing"));
        stored.keySet().stream().filter(id -> !expected.contains(id)).forEach(id -> out.add(id + ": not a learner's"));
        for (StoredInvoice s : stored.values()) {
            var ours = s.invoice();
            JsonNode theirs = xero.get(ours.invoiceId());
            List<String> wrong = new ArrayList<>();
            if (!ours.status().equals(theirs.get("Status").asText())) {
                wrong.add("status");
            }
            compare(wrong, "total", ours.total(), theirs.get("Total"));
            compare(wrong, "amountDue", ours.amountDue(), theirs.get("AmountDue"));
            compare(wrong, "amountPaid", ours.amountPaid(), theirs.get("AmountPaid"));
            compare(wrong, "amountCredited", ours.amountCredited(), theirs.get("AmountCredited"));
            if (ours.payments().size() != theirs.path("Payments").size()) {
                wrong.add("payments");
            }
            if (!ours.contactId().equals(theirs.at("/Contact/ContactID").asText())) {
                wrong.add("contact");
            }
            if (s.learnerId() == null || s.learnerId().isBlank()) {
                wrong.add("learner");
            }
            if (!wrong.isEmpty()) {
                out.add(ours.invoiceNumber() + " (" + ours.invoiceId() + "): " + wrong);
            }
        }
        return out;
    }

    private static void compare(List<String> wrong, String field, BigDecimal ours, JsonNode theirs) {
        if (ours == null || theirs == null || ours.compareTo(theirs.decimalValue()) != 0) {
            wrong.add(field);
        }
    }

    public static BigDecimal money(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP);
    }
}
