package org.lrm.xero.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Finance at work in Xero: a person's (user) token straight against the Accounting API, the way
 * finance raises invoices, takes payments, allocates credit notes, prepayments and overpayments,
 * and voids invoices. For tests and the local demo; every call must succeed or it throws with
 * Xero's answer.
 */
public final class FinanceDesk {

    /** The sandbox's sales account and bank account. */
    public static final String SALES_ACCOUNT = "200";
    public static final String BANK_ACCOUNT = "090";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI accounting;
    private final String userToken;
    private final String tenantId;

    /** @param base the Xero (sandbox) base URI; the Accounting API is under {@code /api.xro/2.0} */
    public FinanceDesk(URI base, String userToken, String tenantId) {
        this.accounting = URI.create(base.toString().replaceAll("/$", "") + "/api.xro/2.0/");
        this.userToken = userToken;
        this.tenantId = tenantId;
    }

    /** A contact finance creates itself (not from the LRM). @return its ContactID */
    public String createContact(String name) {
        ObjectNode c = JSON.createObjectNode().put("Name", name);
        return send("PUT", "Contacts", wrap("Contacts", c)).at("/Contacts/0/ContactID").asText();
    }

    /** An AUTHORISED sales invoice of one tax-free line. @return its InvoiceID */
    public String raiseInvoice(String contactId, String reference, BigDecimal amount, LocalDate date, LocalDate dueDate) {
        ObjectNode inv = JSON.createObjectNode().put("Type", "ACCREC").put("Status", "AUTHORISED")
                .put("Reference", reference).put("Date", date.toString()).put("DueDate", dueDate.toString())
                .put("LineAmountTypes", "NoTax");
        inv.putObject("Contact").put("ContactID", contactId);
        inv.set("LineItems", line("Tuition " + reference, amount, SALES_ACCOUNT));
        return send("PUT", "Invoices", wrap("Invoices", inv)).at("/Invoices/0/InvoiceID").asText();
    }

    /** @return the PaymentID */
    public String pay(String invoiceId, BigDecimal amount, LocalDate date) {
        ObjectNode p = JSON.createObjectNode().put("Amount", amount).put("Date", date.toString());
        p.putObject("Invoice").put("InvoiceID", invoiceId);
        p.putObject("Account").put("Code", BANK_ACCOUNT);
        return send("PUT", "Payments", wrap("Payments", p)).at("/Payments/0/PaymentID").asText();
    }

    /** An AUTHORISED sales credit note. @return its CreditNoteID */
    public String creditNote(String contactId, BigDecimal amount, LocalDate date) {
        ObjectNode cn = JSON.createObjectNode().put("Type", "ACCRECCREDIT").put("Status", "AUTHORISED")
                .put("Date", date.toString()).put("LineAmountTypes", "NoTax");
        cn.putObject("Contact").put("ContactID", contactId);
        cn.set("LineItems", line("Credit", amount, SALES_ACCOUNT));
        return send("PUT", "CreditNotes", wrap("CreditNotes", cn)).at("/CreditNotes/0/CreditNoteID").asText();
    }

    public void allocateCreditNote(String creditNoteId, String invoiceId, BigDecimal amount, LocalDate date) {
        send("PUT", "CreditNotes/" + creditNoteId + "/Allocations", allocation(invoiceId, amount, date));
    }

    /** Money received before it was invoiced (RECEIVE-PREPAYMENT). @return the PrepaymentID */
    public String receivePrepayment(String contactId, BigDecimal amount, LocalDate date) {
        return bankTransaction("RECEIVE-PREPAYMENT", contactId, amount, date, SALES_ACCOUNT).at("/BankTransactions/0/PrepaymentID").asText();
    }

    public void allocatePrepayment(String prepaymentId, String invoiceId, BigDecimal amount, LocalDate date) {
        send("PUT", "Prepayments/" + prepaymentId + "/Allocations", allocation(invoiceId, amount, date));
    }

    /** More money received than was due (RECEIVE-OVERPAYMENT). @return the OverpaymentID */
    public String receiveOverpayment(String contactId, BigDecimal amount, LocalDate date) {
        return bankTransaction("RECEIVE-OVERPAYMENT", contactId, amount, date, "610").at("/BankTransactions/0/OverpaymentID").asText();
    }

    public void allocateOverpayment(String overpaymentId, String invoiceId, BigDecimal amount, LocalDate date) {
        send("PUT", "Overpayments/" + overpaymentId + "/Allocations", allocation(invoiceId, amount, date));
    }

    public void voidInvoice(String invoiceId) {
        // As Xero's updateInvoice takes it (and its OpenAPI documents it): the element inside an Invoices array.
        send("POST", "Invoices/" + invoiceId, wrap("Invoices", JSON.createObjectNode().put("Status", "VOIDED")));
    }

    /** An AUTHORISED sales invoice to raise in a batch. */
    public record InvoiceDraft(String contactId, String reference, BigDecimal amount, LocalDate date, LocalDate dueDate) {
    }

    /** Many contacts in one call (finance importing a list). @return their ContactIDs, in order */
    public java.util.List<String> createContacts(java.util.List<String> names) {
        ArrayNode contacts = JSON.createArrayNode();
        names.forEach(n -> contacts.addObject().put("Name", n));
        return ids(send("PUT", "Contacts", JSON.createObjectNode().set("Contacts", contacts)), "Contacts", "ContactID");
    }

    /** Archives contacts, up to 50 in one call (finance tidying its contact list). */
    public void archiveContacts(java.util.List<String> contactIds) {
        for (int i = 0; i < contactIds.size(); i += 50) {
            ArrayNode contacts = JSON.createArrayNode();
            contactIds.subList(i, Math.min(i + 50, contactIds.size()))
                    .forEach(id -> contacts.addObject().put("ContactID", id).put("ContactStatus", "ARCHIVED"));
            send("POST", "Contacts", JSON.createObjectNode().set("Contacts", contacts));
        }
    }

    /** Many invoices in one call, as Xero takes them. @return their InvoiceIDs, in order */
    public java.util.List<String> raiseInvoices(java.util.List<InvoiceDraft> drafts) {
        ArrayNode invoices = JSON.createArrayNode();
        for (InvoiceDraft d : drafts) {
            ObjectNode inv = invoices.addObject().put("Type", "ACCREC").put("Status", "AUTHORISED").put("Reference", d.reference())
                    .put("Date", d.date().toString()).put("DueDate", d.dueDate().toString()).put("LineAmountTypes", "NoTax");
            inv.putObject("Contact").put("ContactID", d.contactId());
            inv.set("LineItems", line("Tuition " + d.reference(), d.amount(), SALES_ACCOUNT));
        }
        return ids(send("PUT", "Invoices", JSON.createObjectNode().set("Invoices", invoices)), "Invoices", "InvoiceID");
    }

    /** Many payments in one call, each {@code invoiceId -> amount} on {@code date}. */
    public void payAll(java.util.Map<String, BigDecimal> amounts, LocalDate date) {
        ArrayNode payments = JSON.createArrayNode();
        amounts.forEach((invoiceId, amount) -> {
            ObjectNode p = payments.addObject().put("Amount", amount).put("Date", date.toString());
            p.putObject("Invoice").put("InvoiceID", invoiceId);
            p.putObject("Account").put("Code", BANK_ACCOUNT);
        });
        send("PUT", "Payments", JSON.createObjectNode().set("Payments", payments));
    }

    private static java.util.List<String> ids(JsonNode body, String key, String idField) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        body.get(key).forEach(e -> ids.add(e.get(idField).asText()));
        return ids;
    }

    private JsonNode bankTransaction(String type, String contactId, BigDecimal amount, LocalDate date, String account) {
        ObjectNode bt = JSON.createObjectNode().put("Type", type).put("Date", date.toString()).put("LineAmountTypes", "NoTax");
        bt.putObject("Contact").put("ContactID", contactId);
        bt.putObject("BankAccount").put("Code", BANK_ACCOUNT);
        bt.set("LineItems", line(type, amount, account));
        return send("PUT", "BankTransactions", wrap("BankTransactions", bt));
    }

    private static ArrayNode line(String description, BigDecimal amount, String account) {
        ArrayNode lines = JSON.createArrayNode();
        lines.addObject().put("Description", description).put("Quantity", 1).put("UnitAmount", amount).put("AccountCode", account);
        return lines;
    }

    private static ObjectNode allocation(String invoiceId, BigDecimal amount, LocalDate date) {
        ObjectNode a = JSON.createObjectNode().put("Amount", amount).put("Date", date.toString());
        a.putObject("Invoice").put("InvoiceID", invoiceId);
        return wrap("Allocations", a);
    }

    private static ObjectNode wrap(String key, ObjectNode element) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray(key).add(element);
        return body;
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(accounting.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + userToken).header("xero-tenant-id", tenantId)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
