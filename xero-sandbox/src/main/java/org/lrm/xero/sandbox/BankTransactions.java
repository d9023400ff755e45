package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * /BankTransactions: list, get and create. A RECEIVE-PREPAYMENT or RECEIVE-OVERPAYMENT (or SPEND-) also creates the
 * Prepayment or Overpayment it pays, whose id the bank transaction carries.
 */
final class BankTransactions {
    private static final Set<String> TYPES = Set.of("RECEIVE", "SPEND", "RECEIVE-PREPAYMENT", "RECEIVE-OVERPAYMENT", "SPEND-PREPAYMENT", "SPEND-OVERPAYMENT");
    /** The fields a prepayment or overpayment takes from the bank transaction that created it. */
    private static final List<String> CARRIED = List.of("Contact", "Date", "DateString", "Reference", "LineAmountTypes", "LineItems",
            "SubTotal", "TotalTax", "Total", "CurrencyCode", "CurrencyRate");

    private final Ledger ledger;
    private final Envelope envelope;
    private final Listing listing;
    private final Batch batch;
    private final Contacts contacts;

    BankTransactions(Ledger ledger, Envelope envelope, Listing listing, Batch batch, Contacts contacts) {
        this.ledger = ledger; this.envelope = envelope; this.listing = listing; this.batch = batch; this.contacts = contacts;
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/BankTransactions", (t, r) -> listing.list(t, "BankTransactions", t.bankTransactions.values(), r, BankTransactions::shape, null))
              .on("GET", "/BankTransactions/{id}", (t, r) -> envelope.one("BankTransactions", shape(t, Ledger.find(t.bankTransactions, r.pathParam("id")), Listing.View.FULL)))
              .on("PUT|POST", "/BankTransactions", (t, r) -> create(t, r, Batch.elements(r, "BankTransactions")));
    }

    /** A bank transaction shows as stored (it has no summary form); line items only paged or single, as Xero's {@code page} says. */
    static ObjectNode shape(Tenant t, Rec rec, Listing.View view) {
        ObjectNode n = rec.n.deepCopy();
        if (!view.detailed()) n.putArray("LineItems");
        return n;
    }

    private Resp create(Tenant t, Request r, List<JsonNode> els) {
        return batch.<ObjectNode>save(r, "BankTransactions", els, (el, errs, earlier) -> {
            String type = Json.text(el, "Type");
            if (type == null || !TYPES.contains(type)) errs.add("Bank Transaction Type must be specified");
            Rec c = contacts.resolve(t, el.get("Contact"), errs, true);
            ObjectNode acc = t.accountByCodeOrId(el.get("BankAccount"));
            if (acc == null || !"BANK".equals(Json.text(acc, "Type"))) errs.add("A bank account must be specified");
            String lat = LineItems.lineAmountTypes(Json.text(el, "LineAmountTypes"));
            LineItems.Totals tot = LineItems.totals(t, el.get("LineItems"), lat, errs, true);
            if (el.get("LineItems") == null || el.get("LineItems").size() == 0) errs.add("At least one line item must be specified");
            if (!errs.isEmpty()) return null;
            ObjectNode n = Json.obj();
            n.put("Type", type);
            n.set("Contact", Contacts.ref(c));
            ObjectNode ba = n.putObject("BankAccount");
            ba.set("AccountID", acc.get("AccountID"));
            ba.set("Code", acc.get("Code"));
            ba.set("Name", acc.get("Name"));
            n.put("IsReconciled", el.path("IsReconciled").asBoolean(false));
            LocalDate date = el.has("Date") ? XeroDates.parseDate(Json.text(el, "Date")) : ledger.today();
            n.put("Date", XeroDates.msDate(XeroDates.dateInstant(date)));
            n.put("DateString", XeroDates.dateString(date));
            n.put("Reference", Json.text(el, "Reference") == null ? "" : Json.text(el, "Reference"));
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", Money.UNIT_RATE);
            n.put("Status", "AUTHORISED");
            n.put("LineAmountTypes", lat);
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            n.put("HasAttachments", false);
            return n;
        }, n -> {
            String id = Ledger.newId();
            n.put("BankTransactionID", id);
            String type = Json.text(n, "Type");
            if (type.endsWith("PREPAYMENT") || type.endsWith("OVERPAYMENT")) createCredit(t, n, type.endsWith("PREPAYMENT"));
            Rec rec = ledger.put(t, t.bankTransactions, id, n);
            return rec.n.deepCopy();
        });
    }

    /** The Prepayment or Overpayment a bank transaction pays, unallocated. */
    private void createCredit(Tenant t, ObjectNode bankTransaction, boolean prepayment) {
        String idField = prepayment ? "PrepaymentID" : "OverpaymentID";
        String sid = Ledger.newId();
        bankTransaction.put(idField, sid);
        ObjectNode s = Json.obj();
        s.put(idField, sid);
        s.put("Type", Json.text(bankTransaction, "Type"));
        for (String f : CARRIED) if (bankTransaction.has(f)) s.set(f, bankTransaction.get(f).deepCopy());
        s.put("Status", "AUTHORISED");
        s.putArray("Allocations");
        s.putArray("Payments");
        s.put("HasAttachments", false);
        Rec srec = ledger.put(t, prepayment ? t.prepayments : t.overpayments, sid, s);
        Allocations.recalculateRemaining(srec);
    }
}
