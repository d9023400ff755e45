package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoiceProjectionTest {

    private static final LocalDate JAN_30 = LocalDate.of(2027, 1, 30);
    private static final Instant UPDATED = Instant.ofEpochMilli(1801353600123L);

    /** Paid in part, credited, with a prepayment and an overpayment applied; amounts as Xero sends them. */
    private static XeroInvoice invoice(String status, List<XeroInvoice.Payment> payments, BigDecimal creditNoteApplied) {
        return new XeroInvoice("inv-1", "INV-0042", "Diploma T1", "ACCREC", status, "c-1", JAN_30, LocalDate.of(2027, 2, 27),
                "AUD", new BigDecimal("1500"), new BigDecimal("150.005"), new BigDecimal("800"), new BigDecimal("549.995"),
                UPDATED, payments,
                List.of(new XeroInvoice.Credit("cn-1", "CN-0003", null, creditNoteApplied, new BigDecimal("250"))),
                List.of(new XeroInvoice.Credit("pp-1", null, null, new BigDecimal("149.995"), null)),
                List.of(new XeroInvoice.Credit("op-1", null, null, new BigDecimal("200"), null)));
    }

    private static List<XeroInvoice.Payment> payments() {
        return List.of(new XeroInvoice.Payment("p-2", LocalDate.of(2027, 1, 31), new BigDecimal("500"), "AUTHORISED"),
                new XeroInvoice.Payment("p-1", JAN_30, new BigDecimal("300.1"), "AUTHORISED"));
    }

    private static XeroInvoice invoice() {
        return invoice("AUTHORISED", payments(), new BigDecimal("200"));
    }

    @Test
    void projectsEveryFieldOfTheContractWithMoneyToTheCent() {
        LearnerInvoice i = InvoiceProjection.project(invoice());

        assertThat(i.invoiceId()).isEqualTo("inv-1");
        assertThat(i.invoiceNumber()).isEqualTo("INV-0042");
        assertThat(i.reference()).isEqualTo("Diploma T1");
        assertThat(i.status()).isEqualTo("AUTHORISED");
        assertThat(i.date()).isEqualTo(JAN_30);
        assertThat(i.dueDate()).isEqualTo(LocalDate.of(2027, 2, 27));
        assertThat(i.currency()).isEqualTo("AUD");
        assertThat(i.total()).isEqualTo(new BigDecimal("1500.00"));
        assertThat(i.amountPaid()).isEqualTo(new BigDecimal("800.00"));
        assertThat(i.amountDue()).isEqualTo(new BigDecimal("150.01"));
        assertThat(i.amountCredited()).isEqualTo(new BigDecimal("550.00"));
        assertThat(i.updatedAt()).isEqualTo(UPDATED);
        assertThat(i.version()).isEqualTo(1801353600123L);
        assertThat(i.contactId()).isEqualTo("c-1");
        assertThat(i.payments()).extracting(LearnerInvoice.PaymentLine::paymentId).containsExactly("p-1", "p-2");
        assertThat(i.payments().get(0).amount()).isEqualTo(new BigDecimal("300.10"));
        assertThat(i.creditNotes()).containsExactly(new LearnerInvoice.CreditNoteLine("cn-1", "CN-0003", null, new BigDecimal("200.00")));
        assertThat(i.prepayments()).containsExactly(new LearnerInvoice.PrepaymentLine("pp-1", null, new BigDecimal("150.00")));
        assertThat(i.overpayments()).containsExactly(new LearnerInvoice.OverpaymentLine("op-1", null, new BigDecimal("200.00")));
    }

    @Test
    void aCreditWithoutAnAppliedAmountCountsItsTotal() {
        XeroInvoice onlyTotal = invoice("AUTHORISED", payments(), null);

        assertThat(InvoiceProjection.project(onlyTotal).creditNotes().get(0).amount()).isEqualTo(new BigDecimal("250.00"));
    }

    @Test
    void aDeletedPaymentIsNotShown() {
        List<XeroInvoice.Payment> payments = new ArrayList<>(payments());
        payments.add(new XeroInvoice.Payment("p-9", JAN_30, new BigDecimal("10"), "DELETED"));

        assertThat(InvoiceProjection.project(invoice("AUTHORISED", payments, new BigDecimal("200"))).payments())
                .extracting(LearnerInvoice.PaymentLine::paymentId).containsExactly("p-1", "p-2");
    }

    @Test
    void aVoidedInvoiceIsKeptWithItsStatus() {
        LearnerInvoice voided = InvoiceProjection.project(invoice("VOIDED", payments(), new BigDecimal("200")));

        assertThat(voided.status()).isEqualTo("VOIDED");
        assertThat(InvoiceProjection.changes(InvoiceProjection.project(invoice()), voided))
                .extracting(InvoiceProjection.LogLine::kind).containsExactly("INVOICE_VOIDED");
    }

    @Test
    void aNewInvoiceLogsItselfAndEverythingAppliedToIt() {
        assertThat(InvoiceProjection.changes(null, InvoiceProjection.project(invoice())))
                .extracting(InvoiceProjection.LogLine::kind)
                .containsExactly("INVOICE_RAISED", "PAYMENT", "PAYMENT", "CREDIT_NOTE", "PREPAYMENT", "OVERPAYMENT");
    }

    @Test
    void onlyWhatIsNewIsLoggedAndEachEventHasItsOwnStableKey() {
        LearnerInvoice before = InvoiceProjection.project(invoice());
        List<XeroInvoice.Payment> morePaid = new ArrayList<>(payments());
        morePaid.add(0, new XeroInvoice.Payment("p-3", LocalDate.of(2027, 2, 1), new BigDecimal("150.01"), "AUTHORISED"));
        LearnerInvoice after = InvoiceProjection.project(invoice("PAID", morePaid, new BigDecimal("250")));

        var lines = InvoiceProjection.changes(before, after);

        assertThat(lines).extracting(InvoiceProjection.LogLine::kind).containsExactly("INVOICE_PAID", "PAYMENT", "CREDIT_NOTE");
        assertThat(lines).extracting(InvoiceProjection.LogLine::key)
                .containsExactly("invoice:inv-1:status:PAID", "payment:p-3", "credit-note:cn-1:inv-1:250.00");
        assertThat(lines.get(1).xeroIds()).containsEntry("paymentId", "p-3").containsEntry("invoiceId", "inv-1");
        assertThat(InvoiceProjection.changes(after, after)).isEmpty();
        assertThat(InvoiceProjection.changes(null, after)).extracting(InvoiceProjection.LogLine::key).doesNotHaveDuplicates();
    }

    @Test
    void theSameXeroStateAlwaysProjectsToTheSameRecord() {
        List<XeroInvoice.Payment> reordered = List.of(
                new XeroInvoice.Payment("p-1", JAN_30, new BigDecimal("300.10"), "AUTHORISED"),
                new XeroInvoice.Payment("p-2", LocalDate.of(2027, 1, 31), new BigDecimal("500.00"), "AUTHORISED"));

        assertThat(reordered).isNotEqualTo(payments());
        assertThat(InvoiceProjection.project(invoice("AUTHORISED", reordered, new BigDecimal("200"))))
                .isEqualTo(InvoiceProjection.project(invoice()));
    }

    @Test
    void missingAmountsAreZero() {
        assertThat(InvoiceProjection.money(null)).isEqualTo(new BigDecimal("0.00"));
    }
}
