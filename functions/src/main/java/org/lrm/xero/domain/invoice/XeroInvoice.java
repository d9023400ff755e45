package org.lrm.xero.domain.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A Xero invoice as Xero holds it, with what has been paid and credited: the input of
 * {@link InvoiceProjection}. Amounts are Xero's, unrounded; any may be null when Xero left it out.
 *
 * @param type ACCREC for a sales invoice (the only kind raised on learners), ACCPAY for a bill
 * @param contactId the contact it was raised on; null when Xero named none
 * @param updatedAt Xero's UpdatedDateUTC: the invoice's version
 */
public record XeroInvoice(
        String invoiceId,
        String invoiceNumber,
        String reference,
        String type,
        String status,
        String contactId,
        LocalDate date,
        LocalDate dueDate,
        String currencyCode,
        BigDecimal total,
        BigDecimal amountDue,
        BigDecimal amountPaid,
        BigDecimal amountCredited,
        Instant updatedAt,
        List<Payment> payments,
        List<Credit> creditNotes,
        List<Credit> prepayments,
        List<Credit> overpayments) {

    /** Xero's type of a sales invoice. */
    public static final String SALES_INVOICE = "ACCREC";

    public XeroInvoice {
        payments = payments == null ? List.of() : List.copyOf(payments);
        creditNotes = creditNotes == null ? List.of() : List.copyOf(creditNotes);
        prepayments = prepayments == null ? List.of() : List.copyOf(prepayments);
        overpayments = overpayments == null ? List.of() : List.copyOf(overpayments);
    }

    /** A sales invoice raised on a contact: one that may belong to a learner. */
    public boolean raisedOnContact() {
        return SALES_INVOICE.equals(type) && contactId != null;
    }

    /** A payment of the invoice; {@code status} DELETED when it was taken back. */
    public record Payment(String paymentId, LocalDate date, BigDecimal amount, String status) {
    }

    /**
     * A credit note, prepayment or overpayment allocated to the invoice.
     *
     * @param number the credit note's number; null for prepayments and overpayments
     * @param appliedAmount what of it is applied to this invoice; null when Xero sent only its total
     */
    public record Credit(String id, String number, LocalDate date, BigDecimal appliedAmount, BigDecimal total) {

        /** What it takes off this invoice: its applied amount, else its total. */
        public BigDecimal applied() {
            return appliedAmount != null ? appliedAmount : total;
        }
    }
}
