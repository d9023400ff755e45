package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** /Payments: list, get, create against an authorised invoice (never more than it owes), and delete ({@code Status: DELETED}). */
final class Payments {
    private final Ledger ledger;
    private final Envelope envelope;
    private final Listing listing;
    private final Batch batch;

    Payments(Ledger ledger, Envelope envelope, Listing listing, Batch batch) {
        this.ledger = ledger; this.envelope = envelope; this.listing = listing; this.batch = batch;
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/Payments", (t, r) -> listing.list(t, "Payments", t.payments.values(), r, Payments::shape, null))
              .on("GET", "/Payments/{id}", (t, r) -> envelope.one("Payments", shape(t, Ledger.find(t.payments, r.pathParam("id")), Listing.View.FULL)))
              .on("PUT|POST", "/Payments", (t, r) -> create(t, r, Batch.elements(r, "Payments")))
              .on("PUT|POST", "/Payments/{id}", (t, r) -> delete(t, Ledger.find(t.payments, r.pathParam("id")), r));
    }

    /** A payment shows as stored (it has no summary form). */
    static ObjectNode shape(Tenant t, Rec rec, Listing.View view) { return rec.n.deepCopy(); }

    private Resp create(Tenant t, Request r, List<JsonNode> els) {
        return batch.<ObjectNode>save(r, "Payments", els, (el, errs, earlier) -> {
            JsonNode invRef = el.get("Invoice");
            String invId = Json.text(invRef, "InvoiceID");
            Rec inv = null;
            if (invId != null) inv = t.invoices.get(invId.toLowerCase(Locale.ROOT));
            else if (Json.text(invRef, "InvoiceNumber") != null)
                for (Rec i : t.invoices.values()) if (Json.text(invRef, "InvoiceNumber").equals(Json.text(i.n, "InvoiceNumber"))) inv = i;
            if (inv == null) { errs.add("Invoice could not be found"); return null; }
            ObjectNode acc = t.accountByCodeOrId(el.get("Account"));
            if (acc == null) errs.add("Account could not be found");
            else if (!acc.get("EnablePaymentsToAccount").asBoolean()) errs.add("Payments can only be made to bank accounts or accounts with payments enabled.");
            BigDecimal amount = Json.dec(el, "Amount", null);
            if (amount == null || amount.signum() <= 0) errs.add("Payment amount must be greater than zero.");
            String st = Json.text(inv.n, "Status");
            if (!"AUTHORISED".equals(st)) errs.add("Payment can only be made against Authorised documents.");
            else if (amount != null) {
                // Earlier payments of the same batch count against what the invoice still owes.
                BigDecimal pending = BigDecimal.ZERO;
                for (ObjectNode p : earlier) if (p != null && inv.id.equals(Json.text(p.get("Invoice"), "InvoiceID"))) pending = pending.add(p.get("Amount").decimalValue());
                if (Money.round(amount).compareTo(inv.n.get("AmountDue").decimalValue().subtract(pending)) > 0)
                    errs.add("Payment amount exceeds the amount outstanding on this document");
            }
            if (!errs.isEmpty()) return null;
            LocalDate date = el.has("Date") ? XeroDates.parseDate(Json.text(el, "Date")) : ledger.today();
            ObjectNode n = Json.obj();
            n.put("Date", XeroDates.msDate(XeroDates.dateInstant(date)));
            n.put("BankAmount", Money.round(amount));
            n.put("Amount", Money.round(amount));
            n.put("Reference", Json.text(el, "Reference") == null ? "" : Json.text(el, "Reference"));
            n.put("CurrencyRate", Money.UNIT_RATE);
            n.put("PaymentType", "ACCREC".equals(Json.text(inv.n, "Type")) ? "ACCRECPAYMENT" : "ACCPAYPAYMENT");
            n.put("Status", "AUTHORISED");
            n.put("IsReconciled", el.path("IsReconciled").asBoolean(false));
            n.put("HasAccount", true);
            n.put("HasValidationErrors", false);
            ObjectNode a = n.putObject("Account");
            a.set("AccountID", acc.get("AccountID"));
            a.set("Code", acc.get("Code"));
            ObjectNode i = n.putObject("Invoice");
            i.put("InvoiceID", inv.id);
            i.set("InvoiceNumber", inv.n.get("InvoiceNumber"));
            i.set("Type", inv.n.get("Type"));
            i.set("Contact", inv.n.get("Contact"));
            i.put("CurrencyCode", "AUD");
            return n;
        }, n -> {
            String id = Ledger.newId();
            n.put("PaymentID", id);
            Rec rec = ledger.put(t, t.payments, id, n);
            Rec inv = t.invoices.get(Json.text(n.get("Invoice"), "InvoiceID"));
            t.paymentsByInvoice.computeIfAbsent(inv.id, k -> new ArrayList<>()).add(rec);
            Invoices.recalculate(t, inv);
            ledger.touch(inv);
            ledger.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
            return rec.n.deepCopy();
        });
    }

    /** POST /Payments/{id} {@code {"Status":"DELETED"}}: the only change Xero allows; the invoice owes the amount again. */
    private Resp delete(Tenant t, Rec p, Request r) {
        List<JsonNode> els = Batch.elements(r, "Payments");
        String status = Json.text(els.get(0), "Status");
        if (!"DELETED".equals(status)) throw XeroError.validation(els.get(0), "Payments can only be deleted by setting their Status to DELETED.");
        if ("DELETED".equals(Json.text(p.n, "Status"))) throw XeroError.validation(els.get(0), "This payment has already been deleted.");
        p.n.put("Status", "DELETED");
        ledger.touch(p);
        Rec inv = t.invoices.get(Json.text(p.n.get("Invoice"), "InvoiceID"));
        if (inv != null) {
            Invoices.recalculate(t, inv);
            ledger.touch(inv);
            ledger.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
        }
        return envelope.one("Payments", p.n.deepCopy());
    }
}
