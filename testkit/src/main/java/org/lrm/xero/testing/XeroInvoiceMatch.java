package org.lrm.xero.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether a learner's invoices as the invoice API lists them equal Xero's: the same invoices
 * (those of the learner's contacts in the sandbox's state) with the same numbers, statuses,
 * amounts, payments, credit notes, prepayments and overpayments, to the cent.
 */
public final class XeroInvoiceMatch {

    private XeroInvoiceMatch() {
    }

    /** Invoice id to comparable text, from our {@code GET /v1/learners/{id}/invoices} answer's {@code invoices}. */
    public static Map<String, String> ours(JsonNode invoices) {
        Map<String, String> out = new TreeMap<>();
        invoices.forEach(i -> out.put(i.get("invoiceId").asText(), ours1(i)));
        return out;
    }

    /** Invoice id to comparable text, for Xero's invoices of {@code contactIds} in the sandbox's state. */
    public static Map<String, String> xeros(JsonNode state, Set<String> contactIds) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode i : state.get("Invoices")) {
            if (contactIds.contains(i.at("/Contact/ContactID").asText())) {
                out.put(i.get("InvoiceID").asText(), xeros1(i));
            }
        }
        return out;
    }

    private static String ours1(JsonNode i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", i.get("invoiceNumber").asText());
        out.put("reference", i.path("reference").asText());
        out.put("status", i.get("status").asText());
        out.put("total", money(i.get("total")));
        out.put("due", money(i.get("amountDue")));
        out.put("paid", money(i.get("amountPaid")));
        out.put("credited", money(i.get("amountCredited")));
        out.put("payments", lines(i.get("payments"), "paymentId", "amount"));
        out.put("creditNotes", lines(i.get("creditNotes"), "creditNoteId", "amount"));
        out.put("prepayments", lines(i.get("prepayments"), "prepaymentId", "amount"));
        out.put("overpayments", lines(i.get("overpayments"), "overpaymentId", "amount"));
        return out.toString();
    }

    private static String xeros1(JsonNode i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", i.get("InvoiceNumber").asText());
        out.put("reference", i.path("Reference").asText());
        out.put("status", i.get("Status").asText());
        out.put("total", money(i.get("Total")));
        out.put("due", money(i.get("AmountDue")));
        out.put("paid", money(i.get("AmountPaid")));
        out.put("credited", money(i.get("AmountCredited")));
        out.put("payments", lines(i.get("Payments"), "PaymentID", "Amount"));
        out.put("creditNotes", lines(i.get("CreditNotes"), "CreditNoteID", "AppliedAmount"));
        out.put("prepayments", lines(i.get("Prepayments"), "PrepaymentID", "AppliedAmount"));
        out.put("overpayments", lines(i.get("Overpayments"), "OverpaymentID", "AppliedAmount"));
        return out.toString();
    }

    private static BigDecimal money(JsonNode amount) {
        return new BigDecimal(amount.asText()).setScale(2);
    }

    private static Map<String, BigDecimal> lines(JsonNode array, String id, String amount) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (array != null) {
            array.forEach(l -> out.put(l.get(id).asText(), money(l.get(amount))));
        }
        return out;
    }
}
