package org.lrm.xero.domain.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;

/**
 * Which invoices' PDFs are worth fetching before anyone asks, most first: those still to be paid (a
 * learner or finance opens what they owe), then the newest; paid, old invoices are rarely opened and
 * come last. A PDF somebody opens is fetched at once whatever its place here.
 */
public final class PdfPrefetchOrder {

    /** Unpaid before paid, then newest first, then by id (so the order is total). */
    public static final Comparator<LearnerInvoice> MOST_WORTH_FIRST = Comparator
            .comparing((LearnerInvoice i) -> !unpaid(i))
            .thenComparing(i -> i.date() == null ? LocalDate.MIN : i.date(), Comparator.reverseOrder())
            .thenComparing(LearnerInvoice::invoiceId);

    private PdfPrefetchOrder() {
    }

    public static boolean unpaid(LearnerInvoice invoice) {
        return invoice.amountDue() != null && invoice.amountDue().compareTo(BigDecimal.ZERO) > 0
                && !"VOIDED".equals(invoice.status()) && !"DELETED".equals(invoice.status());
    }
}
