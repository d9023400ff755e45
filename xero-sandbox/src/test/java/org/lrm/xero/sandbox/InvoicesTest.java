package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InvoicesTest {
    Harness h;
    String contact;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); contact = h.contact("Student One"); }
    @AfterEach void down() { h.close(); }

    static BigDecimal m(JsonNode n, String f) { return n.get(f).decimalValue(); }

    JsonNode fetch(String id) throws Exception { return h.get("Invoices/" + id).json().at("/Invoices/0"); }

    @Test
    void totalsFollowTaxTypesAndLineAmountTypes() throws Exception {
        JsonNode ex = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":3,\"UnitAmount\":33.33,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT\"},"
                + "{\"Description\":\"Book\",\"Quantity\":1,\"UnitAmount\":10,\"AccountCode\":\"200\",\"TaxType\":\"EXEMPTOUTPUT\"}]", "Exclusive");
        assertThat(m(ex, "SubTotal")).isEqualByComparingTo("109.99");
        assertThat(m(ex, "TotalTax")).isEqualByComparingTo("10.00");
        assertThat(m(ex, "Total")).isEqualByComparingTo("119.99");
        assertThat(m(ex, "AmountDue")).isEqualByComparingTo("119.99");
        assertThat(ex.get("Total").toString()).isEqualTo("119.99");
        assertThat(ex.get("InvoiceNumber").asText()).isEqualTo("INV-0001");
        assertThat(ex.get("DateString").asText()).isEqualTo("2026-03-01T00:00:00");
        assertThat(ex.get("Date").asText()).isEqualTo("/Date(1772323200000+0000)/");

        JsonNode inc = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":1,\"UnitAmount\":110,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT\"}]", "Inclusive");
        assertThat(m(inc, "SubTotal")).isEqualByComparingTo("100.00");
        assertThat(m(inc, "TotalTax")).isEqualByComparingTo("10.00");
        assertThat(m(inc, "Total")).isEqualByComparingTo("110.00");

        JsonNode none = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":2,\"UnitAmount\":50,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT\"}]", "NoTax");
        assertThat(m(none, "TotalTax")).isEqualByComparingTo("0.00");
        assertThat(m(none, "Total")).isEqualByComparingTo("100.00");
    }

    @Test
    void paymentsCreditNotesPrepaymentsAndOverpaymentsMoveTheAmounts() throws Exception {
        JsonNode inv = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":1,\"UnitAmount\":1000,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        String id = inv.get("InvoiceID").asText();

        Harness.Res pay = h.put("Payments", "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Account\":{\"Code\":\"090\"},\"Amount\":250.10,\"Date\":\"2026-03-05\"}]}");
        assertThat(pay.status()).isEqualTo(200);
        String paymentId = pay.json().at("/Payments/0/PaymentID").asText();
        JsonNode after = fetch(id);
        assertThat(m(after, "AmountPaid")).isEqualByComparingTo("250.10");
        assertThat(m(after, "AmountDue")).isEqualByComparingTo("749.90");
        assertThat(after.get("Payments")).hasSize(1);

        JsonNode cn = h.put("CreditNotes", "{\"CreditNotes\":[{\"Type\":\"ACCRECCREDIT\",\"Contact\":{\"ContactID\":\"" + contact + "\"},\"Status\":\"AUTHORISED\","
                + "\"LineItems\":[{\"Description\":\"Refund\",\"Quantity\":1,\"UnitAmount\":100,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]}]}").json().at("/CreditNotes/0");
        assertThat(m(cn, "RemainingCredit")).isEqualByComparingTo("100.00");
        Harness.Res alloc = h.put("CreditNotes/" + cn.get("CreditNoteID").asText() + "/Allocations",
                "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Amount\":60.00,\"Date\":\"2026-03-06\"}]}");
        assertThat(alloc.status()).isEqualTo(200);
        JsonNode cnAfter = h.get("CreditNotes/" + cn.get("CreditNoteID").asText()).json().at("/CreditNotes/0");
        assertThat(m(cnAfter, "RemainingCredit")).isEqualByComparingTo("40.00");
        after = fetch(id);
        assertThat(m(after, "AmountCredited")).isEqualByComparingTo("60.00");
        assertThat(m(after, "AmountDue")).isEqualByComparingTo("689.90");
        assertThat(after.at("/CreditNotes/0/AppliedAmount").decimalValue()).isEqualByComparingTo("60.00");

        JsonNode bt = h.put("BankTransactions", "{\"BankTransactions\":[{\"Type\":\"RECEIVE-PREPAYMENT\",\"Contact\":{\"ContactID\":\"" + contact + "\"},"
                + "\"BankAccount\":{\"Code\":\"090\"},\"LineAmountTypes\":\"NoTax\",\"LineItems\":[{\"Description\":\"Deposit\",\"Quantity\":1,\"UnitAmount\":300,\"AccountCode\":\"200\"}]}]}").json().at("/BankTransactions/0");
        String prepaymentId = bt.get("PrepaymentID").asText();
        assertThat(h.get("Prepayments").json().get("Prepayments")).hasSize(1);
        assertThat(h.put("Prepayments/" + prepaymentId + "/Allocations", "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Amount\":300,\"Date\":\"2026-03-07\"}]}").status()).isEqualTo(200);
        JsonNode pre = h.get("Prepayments/" + prepaymentId).json().at("/Prepayments/0");
        assertThat(m(pre, "RemainingCredit")).isEqualByComparingTo("0.00");
        assertThat(pre.get("Status").asText()).isEqualTo("PAID");

        JsonNode ob = h.put("BankTransactions", "{\"BankTransactions\":[{\"Type\":\"RECEIVE-OVERPAYMENT\",\"Contact\":{\"ContactID\":\"" + contact + "\"},"
                + "\"BankAccount\":{\"Code\":\"090\"},\"LineAmountTypes\":\"NoTax\",\"LineItems\":[{\"Description\":\"Over\",\"UnitAmount\":500,\"AccountCode\":\"610\"}]}]}").json().at("/BankTransactions/0");
        String overId = ob.get("OverpaymentID").asText();
        assertThat(h.put("Overpayments/" + overId + "/Allocations", "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Amount\":389.90}]}").status()).isEqualTo(200);
        after = fetch(id);
        assertThat(m(after, "AmountPaid")).isEqualByComparingTo("250.10");
        assertThat(m(after, "AmountCredited")).isEqualByComparingTo("749.90");
        assertThat(m(after, "AmountDue")).isEqualByComparingTo("0.00");
        assertThat(after.get("Status").asText()).isEqualTo("PAID");
        assertThat(after.get("Prepayments")).hasSize(1);
        assertThat(after.get("Overpayments")).hasSize(1);
        assertThat(m(h.get("Overpayments/" + overId).json().at("/Overpayments/0"), "RemainingCredit")).isEqualByComparingTo("110.10");

        // deleting the payment restores the amounts
        assertThat(h.post("Payments/" + paymentId, "{\"Status\":\"DELETED\"}").status()).isEqualTo(200);
        after = fetch(id);
        assertThat(m(after, "AmountDue")).isEqualByComparingTo("250.10");
        assertThat(after.get("Status").asText()).isEqualTo("AUTHORISED");
        assertThat(after.get("Payments")).isEmpty();

        // overpaying is refused with Xero's message
        Harness.Res over = h.put("Payments", "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Account\":{\"Code\":\"090\"},\"Amount\":250.11}]}");
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().at("/Elements/0/ValidationErrors/0/Message").asText()).isEqualTo("Payment amount exceeds the amount outstanding on this document");

        JsonNode state = h.admin.state(h.tenantId);
        assertThat(state.get("Invoices")).hasSize(1);
        assertThat(state.get("Payments")).hasSize(1);
        assertThat(state.at("/CreditNotes/0/Allocations")).hasSize(1);
    }

    @Test
    void voidOnlyWithoutPaymentsDeleteOnlyDraftsAndFilters() throws Exception {
        JsonNode a = h.invoice(contact, "[{\"Description\":\"Course\",\"UnitAmount\":10,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        String id = a.get("InvoiceID").asText();
        assertThat(h.post("Invoices/" + id, "{\"InvoiceID\":\"" + id + "\",\"Status\":\"DELETED\"}").status()).isEqualTo(400);
        h.put("Payments", "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\"" + id + "\"},\"Account\":{\"Code\":\"090\"},\"Amount\":1}]}");
        assertThat(h.post("Invoices/" + id, "{\"Status\":\"VOIDED\"}").status()).isEqualTo(400);
        JsonNode b = h.invoice(contact, "[{\"Description\":\"Course\",\"UnitAmount\":10,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        Harness.Res v = h.post("Invoices/" + b.get("InvoiceID").asText(), "{\"Status\":\"VOIDED\"}");
        assertThat(v.status()).isEqualTo(200);
        assertThat(v.json().at("/Invoices/0/Status").asText()).isEqualTo("VOIDED");
        Harness.Res draft = h.put("Invoices", "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\"" + contact + "\"},\"Date\":\"2027-01-10\",\"LineItems\":[{\"Description\":\"x\",\"UnitAmount\":5}]}]}");
        String did = draft.json().at("/Invoices/0/InvoiceID").asText();
        assertThat(h.post("Invoices/" + did, "{\"Status\":\"DELETED\"}").json().at("/Invoices/0/Status").asText()).isEqualTo("DELETED");

        String where = Harness.enc("Date >= DateTime(2026,01,01) && Date <= DateTime(2026,12,31) && Type==\"ACCREC\"");
        assertThat(h.get("Invoices?where=" + where).json().get("Invoices")).hasSize(2);
        assertThat(h.get("Invoices?Statuses=VOIDED").json().get("Invoices")).hasSize(1);
        assertThat(h.get("Invoices?ContactIDs=" + contact + "&page=1&pageSize=1").json().get("Invoices")).hasSize(1);
        assertThat(h.get("Invoices?IDs=" + id + "&summaryOnly=true").json().at("/Invoices/0").has("LineItems")).isFalse();
        assertThat(h.put("Invoices", "{\"Invoices\":[{\"Type\":\"ACCREC\",\"InvoiceNumber\":\"INV-0001\",\"Contact\":{\"ContactID\":\"" + contact + "\"},\"LineItems\":[]}]}")
                .json().at("/Elements/0/ValidationErrors/0/Message").asText()).isEqualTo("Invoice # must be unique.");
    }

    @Test
    void pdfAndOnlineInvoice() throws Exception {
        JsonNode a = h.invoice(contact, "[{\"Description\":\"Course (advanced)\",\"UnitAmount\":99.5,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT\"}]", "Exclusive");
        String id = a.get("InvoiceID").asText();
        Harness.Res pdf = h.api("GET", "Invoices/" + id, null, Map.of("Accept", "application/pdf"));
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
        String s = new String(pdf.body(), StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("%PDF-1.");
        assertThat(s.stripTrailing()).endsWith("%%EOF");
        assertThat(s).contains("INV-0001").contains("Student One").contains("109.45");
        // startxref points at the xref table
        int startxref = Integer.parseInt(s.replaceAll("(?s).*startxref\\s+(\\d+).*", "$1"));
        assertThat(s.substring(startxref)).startsWith("xref");
        Harness.Res online = h.get("Invoices/" + id + "/OnlineInvoice");
        assertThat(online.json().at("/OnlineInvoices/0/OnlineInvoiceUrl").asText()).startsWith("https://in.xero.com/");
    }
}
