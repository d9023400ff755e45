package org.lrm.xero.domain.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A Xero sales invoice as the learner's record holds it: the "Invoice (GET list)" shape of the LRM
 * contract (money to the cent), with the contact it was raised on.
 */
public record LearnerInvoice(
        String invoiceId,
        String invoiceNumber,
        String reference,
        String status,
        LocalDate date,
        LocalDate dueDate,
        String currency,
        BigDecimal total,
        BigDecimal amountDue,
        BigDecimal amountPaid,
        BigDecimal amountCredited,
        Instant updatedAt,
        String contactId,
        List<PaymentLine> payments,
        List<CreditNoteLine> creditNotes,
        List<PrepaymentLine> prepayments,
        List<OverpaymentLine> overpayments) {

    public LearnerInvoice {
        payments = payments == null ? List.of() : List.copyOf(payments);
        creditNotes = creditNotes == null ? List.of() : List.copyOf(creditNotes);
        prepayments = prepayments == null ? List.of() : List.copyOf(prepayments);
        overpayments = overpayments == null ? List.of() : List.copyOf(overpayments);
    }

    /** The version stored invoices are compared by: Xero's UpdatedDateUTC in epoch milliseconds. */
    public long version() {
        return updatedAt.toEpochMilli();
    }

    public record PaymentLine(String paymentId, LocalDate date, BigDecimal amount) {
    }

    public record CreditNoteLine(String creditNoteId, String number, LocalDate date, BigDecimal amount) {
    }

    public record PrepaymentLine(String prepaymentId, LocalDate date, BigDecimal amount) {
    }

    public record OverpaymentLine(String overpaymentId, LocalDate date, BigDecimal amount) {
    }
}
