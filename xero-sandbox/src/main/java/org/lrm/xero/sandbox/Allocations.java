package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What credit notes, prepayments and overpayments share: allocating their credit to invoices
 * (PUT /{id}/Allocations), the credit that remains, and how the API shows them.
 */
final class Allocations {
    private final Ledger ledger;
    private final Envelope envelope;

    Allocations(Ledger ledger, Envelope envelope) { this.ledger = ledger; this.envelope = envelope; }

    /** Whether an allocation still counts. */
    static boolean live(JsonNode allocation) { return !allocation.path("IsDeleted").asBoolean(false); }

    /**
     * The document with its current contact. Line items and allocations only paged or single (the spec's {@code page}:
     * "with line items shown for each credit note"; Xero's lists carry less than a single fetch, Xero-OpenAPI #104):
     * an unpaged list shows the lines empty and no allocations; {@code summaryOnly} drops both.
     */
    static ObjectNode shape(Tenant t, Rec rec, Listing.View view) {
        ObjectNode n = rec.n.deepCopy();
        Contacts.showCurrent(t, n);
        if (view.summary()) n.remove(List.of("LineItems", "Allocations"));
        else if (!view.detailed()) { n.putArray("LineItems"); n.remove("Allocations"); }
        return n;
    }

    /** RemainingCredit (and AppliedAmount, and PAID once all is allocated) of an authorised source follow its allocations. */
    static void recalculateRemaining(Rec s) {
        String status = Json.text(s.n, "Status");
        BigDecimal allocated = BigDecimal.ZERO;
        for (JsonNode a : s.n.withArray("Allocations")) if (live(a)) allocated = allocated.add(a.get("Amount").decimalValue());
        if ("VOIDED".equals(status) || "DELETED".equals(status) || "DRAFT".equals(status) || "SUBMITTED".equals(status)) {
            s.n.put("RemainingCredit", "DRAFT".equals(status) || "SUBMITTED".equals(status) ? s.n.get("Total").decimalValue() : Money.ZERO);
            return;
        }
        BigDecimal remaining = Money.round(s.n.get("Total").decimalValue().subtract(allocated));
        s.n.put("RemainingCredit", remaining);
        s.n.put("AppliedAmount", Money.round(allocated));
        s.n.put("Status", remaining.signum() == 0 ? "PAID" : "AUTHORISED");
    }

    /**
     * PUT /{CreditNotes|Prepayments|Overpayments}/{id}/Allocations: each allocation to an authorised invoice of the
     * same contact, within the remaining credit and the invoice's amount due; the first bad one fails them all.
     *
     * @param kind {@code CreditNote}, {@code Prepayment} or {@code Overpayment}
     */
    Resp allocate(Tenant t, String kind, Rec src, Request r) {
        List<JsonNode> els = Batch.elements(r, "Allocations");
        String st = Json.text(src.n, "Status");
        ObjectNode b = envelope.create();
        ArrayNode out = b.putArray("Allocations");
        BigDecimal remaining = src.n.get("RemainingCredit").decimalValue();
        String noun = kind.toLowerCase(Locale.ROOT);
        List<ObjectNode> made = new ArrayList<>();
        for (JsonNode el : els) {
            if (!"AUTHORISED".equals(st)) throw XeroError.validation(el, "Allocations can only be made against authorised documents.");
            String invId = Json.text(el.get("Invoice"), "InvoiceID");
            Rec inv = invId == null ? null : t.invoices.get(invId.toLowerCase(Locale.ROOT));
            if (inv == null) throw XeroError.validation(el, "Invoice could not be found");
            if (!"AUTHORISED".equals(Json.text(inv.n, "Status"))) throw XeroError.validation(el, "Allocations can only be made against authorised documents.");
            String srcContact = Json.text(src.n.get("Contact"), "ContactID");
            if (srcContact != null && !srcContact.equals(Json.text(inv.n.get("Contact"), "ContactID")))
                throw XeroError.validation(el, "The contact on the invoice must be the same as the contact on the " + noun + ".");
            BigDecimal amount = Json.dec(el, "Amount", null);
            if (amount == null || amount.signum() <= 0) throw XeroError.validation(el, "Allocation amount must be greater than zero.");
            amount = Money.round(amount);
            if (amount.compareTo(remaining) > 0) throw XeroError.validation(el, "The amount being allocated exceeds the remaining credit on the " + noun + ".");
            if (amount.compareTo(inv.n.get("AmountDue").decimalValue()) > 0) throw XeroError.validation(el, "The amount being allocated exceeds the amount due on the invoice.");
            remaining = remaining.subtract(amount);
            LocalDate date = el.has("Date") ? XeroDates.parseDate(Json.text(el, "Date")) : ledger.today();
            ObjectNode a = Json.obj();
            a.put("AllocationID", Ledger.newId());
            a.put("Amount", amount);
            a.put("Date", XeroDates.msDate(XeroDates.dateInstant(date)));
            ObjectNode i = a.putObject("Invoice");
            i.put("InvoiceID", inv.id);
            i.set("InvoiceNumber", inv.n.get("InvoiceNumber"));
            a.put("IsDeleted", false);
            src.n.withArray("Allocations").add(a);
            Invoices.recalculate(t, inv);
            ledger.touch(inv);
            ledger.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
            made.add(a);
        }
        recalculateRemaining(src);
        ledger.touch(src);
        if (kind.equals("CreditNote")) ledger.emit(t, "CREDITNOTE", "UPDATE", "CreditNotes", src.id, CreditNotes.eventData(src));
        for (ObjectNode a : made) {
            ObjectNode o = a.deepCopy();
            o.putObject(kind).put(kind + "ID", src.id);
            out.add(o);
        }
        return Resp.json(200, b);
    }
}
