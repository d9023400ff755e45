package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** /CreditNotes: list, get, create and update (void, delete), and PUT /{id}/Allocations to invoices. */
final class CreditNotes {
    private final Ledger ledger;
    private final Envelope envelope;
    private final Listing listing;
    private final Batch batch;
    private final Contacts contacts;
    private final Allocations allocations;

    CreditNotes(Ledger ledger, Envelope envelope, Listing listing, Batch batch, Contacts contacts, Allocations allocations) {
        this.ledger = ledger; this.envelope = envelope; this.listing = listing; this.batch = batch; this.contacts = contacts; this.allocations = allocations;
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/CreditNotes", (t, r) -> listing.list(t, "CreditNotes", t.creditNotes.values(), r, Allocations::shape, null))
              .on("GET", "/CreditNotes/{id}", (t, r) -> envelope.one("CreditNotes", Allocations.shape(t, Ledger.find(t.creditNotes, r.pathParam("id")), Listing.View.FULL)))
              .on("PUT|POST", "/CreditNotes", (t, r) -> save(t, r, Batch.elements(r, "CreditNotes")))
              .on("PUT|POST", "/CreditNotes/{id}", (t, r) -> save(t, r, Batch.elementsOf(r, "CreditNotes", "CreditNoteID", r.pathParam("id"))))
              .on("PUT", "/CreditNotes/{id}/Allocations", (t, r) -> allocations.allocate(t, "CreditNote", Ledger.find(t.creditNotes, r.pathParam("id")), r));
    }

    /** The {@code data} a CREDITNOTE webhook event carries. */
    static ObjectNode eventData(Rec cn) {
        ObjectNode d = Json.obj();
        d.put("Type", Json.text(cn.n, "Type"));
        d.put("Status", Json.text(cn.n, "Status"));
        return d;
    }

    private record Prepared(Rec existing, ObjectNode n, boolean create) {}

    private Resp save(Tenant t, Request r, List<JsonNode> els) {
        return batch.<Prepared>save(r, "CreditNotes", els, (el, errs, earlier) -> {
            String id = Json.text(el, "CreditNoteID");
            Rec existing = null;
            if (id != null) {
                existing = t.creditNotes.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            }
            ObjectNode n = existing == null ? Json.obj() : existing.n.deepCopy();
            String oldStatus = existing == null ? null : Json.text(existing.n, "Status");
            String newStatus = Json.text(el, "Status");
            if (existing != null && n.withArray("Allocations").size() > 0 && !"VOIDED".equals(newStatus) && el.has("LineItems")) {
                errs.add("This document cannot be edited as it has a payment or credit note allocated to it.");
                return null;
            }
            if (existing != null && ("VOIDED".equals(newStatus) || "DELETED".equals(newStatus))) {
                boolean allocated = false;
                for (JsonNode a : n.withArray("Allocations")) if (Allocations.live(a)) allocated = true;
                if (allocated) { errs.add("This document cannot be voided as it has been allocated."); return null; }
                n.put("Status", newStatus);
                n.put("RemainingCredit", Money.ZERO);
                return new Prepared(existing, n, false);
            }
            String type = Json.text(el, "Type");
            if (type != null) n.put("Type", type);
            type = Json.text(n, "Type");
            if (type == null) errs.add("Credit Note Type must be specified");
            else if (!Set.of("ACCRECCREDIT", "ACCPAYCREDIT").contains(type)) errs.add("Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT");
            if (el.has("Contact") || existing == null) {
                Rec c = contacts.resolve(t, el.get("Contact"), errs, false);
                if (c != null) n.set("Contact", Contacts.ref(c));
            }
            if (el.has("Reference")) n.set("Reference", el.get("Reference"));
            LocalDate date = el.has("Date") ? XeroDates.parseDate(Json.text(el, "Date")) : existing == null ? ledger.today() : null;
            if (date != null) { n.put("Date", XeroDates.msDate(XeroDates.dateInstant(date))); n.put("DateString", XeroDates.dateString(date)); }
            if (el.has("CreditNoteNumber")) n.set("CreditNoteNumber", el.get("CreditNoteNumber"));
            String lat = LineItems.lineAmountTypes(el.has("LineAmountTypes") ? Json.text(el, "LineAmountTypes") : Json.text(n, "LineAmountTypes"));
            n.put("LineAmountTypes", lat);
            String status = newStatus != null ? newStatus : oldStatus != null ? oldStatus : "DRAFT";
            if (!Set.of("DRAFT", "SUBMITTED", "AUTHORISED").contains(status)) { errs.add("Credit Note Status must be DRAFT, SUBMITTED or AUTHORISED."); status = "DRAFT"; }
            n.put("Status", status);
            LineItems.Totals tot = LineItems.totals(t, el.has("LineItems") ? el.get("LineItems") : n.get("LineItems"), lat, errs, !status.equals("DRAFT"));
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", Money.UNIT_RATE);
            n.put("HasAttachments", false);
            n.put("HasErrors", false);
            if (!n.has("Allocations")) n.putArray("Allocations");
            if (!n.has("Payments")) n.putArray("Payments");
            return new Prepared(existing, n, existing == null);
        }, p -> {
            String id = p.existing == null ? Ledger.newId() : p.existing.id;
            p.n.put("CreditNoteID", id);
            if (!p.n.has("CreditNoteNumber") && "ACCRECCREDIT".equals(Json.text(p.n, "Type"))) p.n.put("CreditNoteNumber", String.format("CN-%04d", ++t.creditNoteNo));
            Rec rec = ledger.put(t, t.creditNotes, id, p.n);
            Allocations.recalculateRemaining(rec);
            ledger.emit(t, "CREDITNOTE", p.create ? "CREATE" : "UPDATE", "CreditNotes", id, eventData(rec));
            return Allocations.shape(t, rec, Listing.View.FULL);
        });
    }
}
