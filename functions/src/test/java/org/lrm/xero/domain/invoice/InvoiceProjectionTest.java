package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.lrm.xero.adapter.xero.Invoice;

class InvoiceProjectionTest {

    private static final ObjectMapper XERO = new ObjectMapper();

    /** An invoice as Xero's GET /Invoices returns it: paid in part, credited, with a prepayment and an overpayment applied. */
    private static final String INVOICE = """
            {"InvoiceID":"inv-1","InvoiceNumber":"INV-0042","Reference":"Diploma T1","Type":"ACCREC","Status":"AUTHORISED",
             "Contact":{"ContactID":"c-1","Name":"Ana Lopez W000123"},
             "Date":"/Date(1801267200000+0000)/","DueDate":"/Date(1803686400000+0000)/","CurrencyCode":"AUD",
             "SubTotal":1363.64,"TotalTax":136.36,"Total":1500,"AmountDue":150.005,"AmountPaid":800,"AmountCredited":549.995,
             "UpdatedDateUTC":"/Date(1801353600123+0000)/",
             "Payments":[{"PaymentID":"p-2","Date":"/Date(1801440000000+0000)/","Amount":500},
                         {"PaymentID":"p-1","Date":"/Date(1801353600000+0000)/","Amount":300.1}],
             "CreditNotes":[{"CreditNoteID":"cn-1","CreditNoteNumber":"CN-0003","AppliedAmount":200,"Total":250}],
             "Prepayments":[{"PrepaymentID":"pp-1","AppliedAmount":149.995}],
             "Overpayments":[{"OverpaymentID":"op-1","AppliedAmount":200}]}
            """;

    private static LearnerInvoice project(String json) throws Exception {
        return InvoiceProjection.project(XERO.readValue(json, Invoice.class));
    }

    @Test
    void projectsEveryFieldOfTheContractWithMoneyToTheCent() throws Exception {
        LearnerInvoice i = project(INVOICE);

        assertThat(i.invoiceId()).isEqualTo("inv-1");
        assertThat(i.invoiceNumber()).isEqualTo("INV-0042");
        assertThat(i.reference()).isEqualTo("Diploma T1");
        assertThat(i.status()).isEqualTo("AUTHORISED");
        assertThat(i.date()).isEqualTo(LocalDate.of(2027, 1, 30));
        assertThat(i.dueDate()).isEqualTo(LocalDate.of(2027, 2, 27));
        assertThat(i.currency()).isEqualTo("AUD");
        assertThat(i.total()).isEqualTo(new BigDecimal("1500.00"));
        assertThat(i.amountPaid()).isEqualTo(new BigDecimal("800.00"));
        assertThat(i.amountDue()).isEqualTo(new BigDecimal("150.01"));
        assertThat(i.amountCredited()).isEqualTo(new BigDecimal("550.00"));
        assertThat(i.updatedAt()).isEqualTo(Instant.ofEpochMilli(1801353600123L));
        assertThat(i.version()).isEqualTo(1801353600123L);
        assertThat(i.contactId()).isEqualTo("c-1");
        assertThat(i.payments()).extracting(LearnerInvoice.PaymentLine::paymentId).containsExactly("p-1", "p-2");
        assertThat(i.payments().get(0).amount()).isEqualTo(new BigDecimal("300.10"));
        assertThat(i.creditNotes()).containsExactly(new LearnerInvoice.CreditNoteLine("cn-1", "CN-0003", null, new BigDecimal("200.00")));
        assertThat(i.prepayments()).containsExactly(new LearnerInvoice.PrepaymentLine("pp-1", null, new BigDecimal("150.00")));
        assertThat(i.overpayments()).containsExactly(new LearnerInvoice.OverpaymentLine("op-1", null, new BigDecimal("200.00")));
    }

    @Test
    void aVoidedInvoiceIsKeptWithItsStatus() throws Exception {
        LearnerInvoice voided = project(INVOICE.replace("\"Status\":\"AUTHORISED\"", "\"Status\":\"VOIDED\""));

        assertThat(voided.status()).isEqualTo("VOIDED");
        assertThat(InvoiceProjection.changes(project(INVOICE), voided))
                .extracting(InvoiceProjection.LogLine::kind).containsExactly("INVOICE_VOIDED");
    }

    @Test
    void aNewInvoiceLogsItselfAndEverythingAppliedToIt() throws Exception {
        assertThat(InvoiceProjection.changes(null, project(INVOICE)))
                .extracting(InvoiceProjection.LogLine::kind)
                .containsExactly("INVOICE_RAISED", "PAYMENT", "PAYMENT", "CREDIT_NOTE", "PREPAYMENT", "OVERPAYMENT");
    }

    @Test
    void onlyWhatIsNewIsLoggedAndEachEventHasItsOwnStableKey() throws Exception {
        LearnerInvoice before = project(INVOICE);
        LearnerInvoice after = project(INVOICE
                .replace("\"Payments\":[", "\"Payments\":[{\"PaymentID\":\"p-3\",\"Date\":\"/Date(1801526400000+0000)/\",\"Amount\":150.01},")
                .replace("\"AppliedAmount\":200,\"Total\":250", "\"AppliedAmount\":250,\"Total\":250")
                .replace("\"Status\":\"AUTHORISED\"", "\"Status\":\"PAID\""));

        var lines = InvoiceProjection.changes(before, after);

        assertThat(lines).extracting(InvoiceProjection.LogLine::kind).containsExactly("INVOICE_PAID", "PAYMENT", "CREDIT_NOTE");
        assertThat(lines).extracting(InvoiceProjection.LogLine::key)
                .containsExactly("invoice:inv-1:status:PAID", "payment:p-3", "credit-note:cn-1:inv-1:250.00");
        assertThat(lines.get(1).xeroIds()).containsEntry("paymentId", "p-3").containsEntry("invoiceId", "inv-1");
        assertThat(InvoiceProjection.changes(after, after)).isEmpty();
        assertThat(InvoiceProjection.changes(null, after)).extracting(InvoiceProjection.LogLine::key)
                .containsAll(InvoiceProjection.changes(null, after).stream().map(InvoiceProjection.LogLine::key).toList())
                .doesNotHaveDuplicates();
    }

    @Test
    void theSameXeroStateAlwaysProjectsToTheSameRecord() throws Exception {
        String p2 = "{\"PaymentID\":\"p-2\",\"Date\":\"/Date(1801440000000+0000)/\",\"Amount\":500},";
        String reordered = INVOICE.replace(p2, "")
                .replace("\"Amount\":300.1}]", "\"Amount\":300.10}," + p2.replace("500},", "500.00}]"));

        assertThat(reordered).isNotEqualTo(INVOICE);
        assertThat(project(reordered)).isEqualTo(project(INVOICE));
    }

    @Test
    void missingAmountsAreZero() {
        assertThat(InvoiceProjection.money(null)).isEqualTo(new BigDecimal("0.00"));
    }
}
