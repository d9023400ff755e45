package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * /Invoices: list (with ContactIDs, Statuses, InvoiceNumbers), get by id or number as JSON (with its payments and
 * credits) or as a PDF, the online invoice link, create and update (void, delete); and an invoice's amounts, which
 * follow its payments and allocations.
 */
final class Invoices {
    private final Ledger ledger;
    private final Envelope envelope;
    private final Listing listing;
    private final Batch batch;
    private final Contacts contacts;

    Invoices(Ledger ledger, Envelope envelope, Listing listing, Batch batch, Contacts contacts) {
        this.ledger = ledger; this.envelope = envelope; this.listing = listing; this.batch = batch; this.contacts = contacts;
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/Invoices", (t, r) -> listing.list(t, "Invoices", t.invoices.values(), r, Invoices::shape, filter(r)))
              .on("GET", "/Invoices/{id}", this::get)
              .on("GET", "/Invoices/{id}/OnlineInvoice", (t, r) -> onlineInvoice(t, Ledger.find(t.invoices, r.pathParam("id"))))
              .on("PUT|POST", "/Invoices", (t, r) -> save(t, r, Batch.elements(r, "Invoices")))
              .on("PUT|POST", "/Invoices/{id}", (t, r) -> save(t, r, Batch.elementsOf(r, "Invoices", "InvoiceID", r.pathParam("id"))));
    }

    private static Predicate<Rec> filter(Request r) {
        List<String> contactIds = Request.splitCsv(r.queryParam("ContactIDs"));
        List<String> statuses = Request.splitCsv(r.queryParam("Statuses"));
        List<String> numbers = Request.splitCsv(r.queryParam("InvoiceNumbers"));
        return rec -> (contactIds.isEmpty() || contactIds.stream().anyMatch(c -> c.equalsIgnoreCase(Json.text(rec.n.get("Contact"), "ContactID"))))
                && (statuses.isEmpty() || statuses.contains(Json.text(rec.n, "Status")))
                && (numbers.isEmpty() || numbers.contains(Json.text(rec.n, "InvoiceNumber")));
    }

    /** By id or InvoiceNumber; a PDF of it with {@code Accept: application/pdf}. */
    private Resp get(Tenant t, Request r) {
        Rec inv = Ledger.findBy(t.invoices, r.pathParam("id"), "InvoiceNumber");
        String accept = r.header("accept");
        if (accept != null && accept.contains("application/pdf")) return new Resp(200, "application/pdf", Pdf.invoice(t, shape(t, inv, Listing.View.FULL)));
        return envelope.one("Invoices", shape(t, inv, Listing.View.FULL));
    }

    /**
     * The invoice with its current contact, its payments and the credit notes, prepayments and overpayments applied to
     * it. Line items only paged or single (the spec's {@code page}: "with line items shown for each invoice"); an
     * unpaged list shows them empty, as Xero does.
     */
    static ObjectNode shape(Tenant t, Rec rec, Listing.View view) {
        ObjectNode n = rec.n.deepCopy();
        Contacts.showCurrent(t, n);
        ArrayNode payments = n.putArray("Payments");
        for (Rec p : t.paymentsOf(rec.id)) {
            if (!"AUTHORISED".equals(Json.text(p.n, "Status"))) continue;
            ObjectNode o = payments.addObject();
            o.put("PaymentID", p.id);
            o.set("Date", p.n.get("Date"));
            o.set("Amount", p.n.get("Amount"));
            o.set("BankAmount", p.n.get("Amount"));
            if (p.n.has("Reference")) o.set("Reference", p.n.get("Reference"));
            o.put("CurrencyRate", Money.UNIT_RATE);
            o.put("HasAccount", false);
            o.put("HasValidationErrors", false);
        }
        creditsApplied(rec.id, t.creditNotes.values(), "CreditNoteID", "CreditNoteNumber", n.putArray("CreditNotes"));
        creditsApplied(rec.id, t.prepayments.values(), "PrepaymentID", null, n.putArray("Prepayments"));
        creditsApplied(rec.id, t.overpayments.values(), "OverpaymentID", null, n.putArray("Overpayments"));
        if (view.summary()) n.remove(List.of("LineItems", "Payments", "CreditNotes", "Prepayments", "Overpayments"));
        else if (!view.detailed()) n.putArray("LineItems");
        return n;
    }

    /** Each source (credit note, prepayment, overpayment) with an amount allocated to this invoice. */
    private static void creditsApplied(String invoiceId, Collection<Rec> sources, String idField, String numberField, ArrayNode into) {
        for (Rec s : sources) {
            BigDecimal applied = BigDecimal.ZERO;
            String date = null;
            for (JsonNode a : s.n.withArray("Allocations")) {
                if (!invoiceId.equals(Json.text(a.get("Invoice"), "InvoiceID")) || !Allocations.live(a)) continue;
                applied = applied.add(a.get("Amount").decimalValue());
                date = Json.text(a, "Date");
            }
            if (applied.signum() == 0) continue;
            ObjectNode o = into.addObject();
            o.put(idField, s.id);
            if (numberField != null && s.n.has(numberField)) o.set(numberField, s.n.get(numberField));
            o.put("ID", s.id);
            o.put("AppliedAmount", Money.round(applied));
            o.put("Date", date);
            o.set("Total", s.n.get("Total"));
            o.set("Status", s.n.get("Status"));
            o.set("Type", s.n.get("Type"));
            o.set("RemainingCredit", s.n.get("RemainingCredit"));
            o.put("HasAttachments", false);
        }
    }

    private record Prepared(Rec existing, ObjectNode n, boolean create) {}

    private Resp save(Tenant t, Request r, List<JsonNode> els) {
        return batch.<Prepared>save(r, "Invoices", els, (el, errs, earlier) -> {
            if (!el.isObject()) { errs.add("Invalid invoice"); return null; }
            String id = Json.text(el, "InvoiceID");
            Rec existing = null;
            if (id != null) {
                existing = t.invoices.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            } else if (Json.text(el, "InvoiceNumber") != null && r.method().equals("POST")) {
                // POST with a known InvoiceNumber updates that invoice, as Xero does.
                for (Rec inv : t.invoices.values()) if (Json.text(el, "InvoiceNumber").equals(Json.text(inv.n, "InvoiceNumber"))
                        && !"DELETED".equals(Json.text(inv.n, "Status")) && !"VOIDED".equals(Json.text(inv.n, "Status"))) { existing = inv; break; }
            }
            ObjectNode n = existing == null ? Json.obj() : existing.n.deepCopy();
            String oldStatus = existing == null ? null : Json.text(existing.n, "Status");
            String newStatus = Json.text(el, "Status");
            if (existing != null) {
                BigDecimal paid = Json.dec(existing.n, "AmountPaid", BigDecimal.ZERO), credited = Json.dec(existing.n, "AmountCredited", BigDecimal.ZERO);
                boolean hasMoney = paid.signum() != 0 || credited.signum() != 0;
                if (Set.of("VOIDED", "DELETED").contains(oldStatus)) { errs.add("This document cannot be edited as it has been " + oldStatus.toLowerCase(Locale.ROOT) + "."); return null; }
                if ("VOIDED".equals(newStatus)) {
                    if (hasMoney) { errs.add("This document cannot be voided as it has payments or credit notes allocated to it."); return null; }
                    if (!Set.of("AUTHORISED", "SUBMITTED").contains(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
                    n.put("Status", "VOIDED");
                    n.put("AmountDue", Money.ZERO);
                    return new Prepared(existing, n, false);
                }
                if ("DELETED".equals(newStatus)) {
                    if (!Set.of("DRAFT", "SUBMITTED").contains(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
                    n.put("Status", "DELETED");
                    return new Prepared(existing, n, false);
                }
                if (hasMoney && (el.has("LineItems") || el.has("Contact"))) {
                    errs.add("This document cannot be edited as it has a payment or credit note allocated to it.");
                    return null;
                }
                if ("PAID".equals(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
            }
            String type = Json.text(el, "Type");
            if (type != null) n.put("Type", type);
            type = Json.text(n, "Type");
            if (type == null) errs.add("Invoice Type must be specified");
            else if (!Set.of("ACCREC", "ACCPAY").contains(type)) errs.add("Invoice Type must be ACCREC or ACCPAY");
            for (String f : List.of("Reference", "Url", "SentToContact", "BrandingThemeID", "ExpectedPaymentDate", "PlannedPaymentDate"))
                if (el.has(f)) n.set(f, el.get(f));
            if (el.has("Contact") || existing == null) {
                Rec c = contacts.resolve(t, el.get("Contact"), errs, false);
                if (c != null) n.set("Contact", Contacts.ref(c));
            }
            LocalDate date = el.has("Date") ? XeroDates.parseDate(Json.text(el, "Date")) : existing == null ? ledger.today() : null;
            if (date != null) { n.put("Date", XeroDates.msDate(XeroDates.dateInstant(date))); n.put("DateString", XeroDates.dateString(date)); }
            if (el.has("DueDate")) {
                LocalDate due = XeroDates.parseDate(Json.text(el, "DueDate"));
                if (due != null) { n.put("DueDate", XeroDates.msDate(XeroDates.dateInstant(due))); n.put("DueDateString", XeroDates.dateString(due)); }
            }
            String number = Json.text(el, "InvoiceNumber");
            if (number != null) {
                if (number.length() > 255) errs.add("Invoice Number must not be more than 255 characters long.");
                String selfId = existing == null ? null : existing.id;
                String fType = type;
                boolean clash = t.invoices.values().stream().anyMatch(i -> !i.id.equals(selfId) && number.equals(Json.text(i.n, "InvoiceNumber"))
                        && fType != null && fType.equals(Json.text(i.n, "Type")) && !"DELETED".equals(Json.text(i.n, "Status")));
                for (Prepared p : earlier) if (p != null && number.equals(Json.text(p.n, "InvoiceNumber"))) clash = true;
                if (clash && "ACCREC".equals(type)) errs.add("Invoice # must be unique.");
                n.put("InvoiceNumber", number);
            }
            String lat = LineItems.lineAmountTypes(el.has("LineAmountTypes") ? Json.text(el, "LineAmountTypes") : Json.text(n, "LineAmountTypes"));
            n.put("LineAmountTypes", lat);
            String status = newStatus != null ? newStatus : oldStatus != null ? oldStatus : "DRAFT";
            if (!Set.of("DRAFT", "SUBMITTED", "AUTHORISED").contains(status)) { errs.add("Invoice Status must be DRAFT, SUBMITTED or AUTHORISED when saving an invoice."); status = "DRAFT"; }
            if (oldStatus != null && oldStatus.equals("AUTHORISED") && !status.equals("AUTHORISED")) errs.add("Invoice not of valid status for modification");
            n.put("Status", status);
            JsonNode lines = el.has("LineItems") ? el.get("LineItems") : n.get("LineItems");
            LineItems.Totals tot = LineItems.totals(t, lines, lat, errs, !status.equals("DRAFT"));
            if (status.equals("AUTHORISED") && (lines == null || lines.size() == 0)) errs.add("An invoice must have at least one line item to be approved.");
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            if (tot.total().signum() < 0) errs.add("The document total must be greater than or equal to zero.");
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", Money.UNIT_RATE);
            if (!n.has("AmountPaid")) n.put("AmountPaid", Money.ZERO);
            if (!n.has("AmountCredited")) n.put("AmountCredited", Money.ZERO);
            n.put("HasAttachments", false);
            n.put("IsDiscounted", false);
            n.put("HasErrors", false);
            return new Prepared(existing, n, existing == null);
        }, p -> {
            String id = p.existing == null ? Ledger.newId() : p.existing.id;
            ObjectNode n = p.n;
            n.put("InvoiceID", id);
            if (!n.has("InvoiceNumber") && "ACCREC".equals(Json.text(n, "Type"))) n.put("InvoiceNumber", String.format("INV-%04d", ++t.invoiceNo));
            if (!n.has("Reference")) n.put("Reference", "");
            Rec rec = ledger.put(t, t.invoices, id, n);
            recalculate(t, rec);
            ledger.emit(t, "INVOICE", p.create ? "CREATE" : "UPDATE", "Invoices", id, null);
            return shape(t, rec, Listing.View.FULL);
        });
    }

    /** AmountPaid, AmountCredited, AmountDue and PAID status (with FullyPaidOnDate) follow payments and allocations. */
    static void recalculate(Tenant t, Rec inv) {
        String status = Json.text(inv.n, "Status");
        BigDecimal paid = BigDecimal.ZERO;
        String lastDate = null;
        for (Rec p : t.paymentsOf(inv.id)) {
            if ("AUTHORISED".equals(Json.text(p.n, "Status"))) {
                paid = paid.add(p.n.get("Amount").decimalValue());
                lastDate = later(lastDate, Json.text(p.n, "Date"));
            }
        }
        BigDecimal credited = BigDecimal.ZERO;
        for (Collection<Rec> src : List.of(t.creditNotes.values(), t.prepayments.values(), t.overpayments.values())) {
            for (Rec s : src) for (JsonNode a : s.n.withArray("Allocations")) {
                if (inv.id.equals(Json.text(a.get("Invoice"), "InvoiceID")) && Allocations.live(a)) {
                    credited = credited.add(a.get("Amount").decimalValue());
                    lastDate = later(lastDate, Json.text(a, "Date"));
                }
            }
        }
        BigDecimal total = inv.n.get("Total").decimalValue();
        inv.n.put("AmountPaid", Money.round(paid));
        inv.n.put("AmountCredited", Money.round(credited));
        if ("VOIDED".equals(status) || "DELETED".equals(status)) { inv.n.put("AmountDue", Money.ZERO); return; }
        BigDecimal due = Money.round(total.subtract(paid).subtract(credited));
        inv.n.put("AmountDue", due);
        if (("AUTHORISED".equals(status) || "PAID".equals(status))) {
            if (due.signum() == 0 && paid.add(credited).signum() > 0) {
                inv.n.put("Status", "PAID");
                inv.n.put("FullyPaidOnDate", lastDate);
            } else {
                inv.n.put("Status", "AUTHORISED");
                inv.n.remove("FullyPaidOnDate");
            }
        }
    }

    private static String later(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return XeroDates.parseMs(b).isAfter(XeroDates.parseMs(a)) ? b : a;
    }

    private Resp onlineInvoice(Tenant t, Rec inv) {
        if (!"ACCREC".equals(Json.text(inv.n, "Type")) || "DRAFT".equals(Json.text(inv.n, "Status")))
            throw XeroError.validation(Json.obj(), "Online invoices are only available for approved sales invoices.");
        ObjectNode b = envelope.create();
        b.putArray("OnlineInvoices").addObject().put("OnlineInvoiceUrl", "https://in.xero.com/" + inv.id.replace("-", "") + "?tenant=" + t.id);
        return Resp.json(200, b);
    }
}
