package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * /Contacts: list, get by id or ContactNumber, create and update (name unique among active contacts; ContactNumber
 * not unique, as Xero promises no uniqueness), archive; and what other resources need of a contact: its reference on a document, finding a document's
 * contact, and Xero's merge.
 */
final class Contacts {
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /** The fields a write may set; the rest (ContactID, status handling, flags) are the sandbox's. */
    static final Set<String> FIELDS = Set.of("ContactNumber", "AccountNumber", "Name", "FirstName", "LastName",
            "CompanyNumber", "EmailAddress", "ContactPersons", "BankAccountDetails", "TaxNumber", "AccountsReceivableTaxType",
            "AccountsPayableTaxType", "Addresses", "Phones", "IsSupplier", "IsCustomer", "DefaultCurrency", "XeroNetworkKey",
            "SalesDefaultAccountCode", "PurchasesDefaultAccountCode", "PaymentTerms", "Website");
    private static final List<String> SUMMARY_FIELDS = List.of("ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name",
            "FirstName", "LastName", "EmailAddress", "MergedToContactID", "UpdatedDateUTC", "IsSupplier", "IsCustomer", "HasAttachments",
            "HasValidationErrors");

    private final Ledger ledger;
    private final Envelope envelope;
    private final Listing listing;
    private final Batch batch;

    Contacts(Ledger ledger, Envelope envelope, Listing listing, Batch batch) {
        this.ledger = ledger; this.envelope = envelope; this.listing = listing; this.batch = batch;
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/Contacts", (t, r) -> listing.list(t, "Contacts", t.contacts.values(), r, Contacts::shape, filter(r)))
              .on("GET", "/Contacts/{id}", (t, r) -> envelope.one("Contacts", shape(t, Ledger.findBy(t.contacts, r.pathParam("id"), "ContactNumber"), Listing.View.FULL)))
              .on("PUT|POST", "/Contacts", (t, r) -> save(t, r, Batch.elements(r, "Contacts")))
              .on("PUT|POST", "/Contacts/{id}", (t, r) -> save(t, r, Batch.elementsOf(r, "Contacts", "ContactID", r.pathParam("id"))));
    }

    /** Archived contacts only with {@code includeArchived=true}, or when asked for by {@code IDs} (as Xero returns them). */
    private static Predicate<Rec> filter(Request r) {
        boolean includeArchived = r.flag("includeArchived", false);
        boolean byIds = r.queryParam("IDs") != null;
        return rec -> includeArchived || !"ARCHIVED".equals(Json.text(rec.n, "ContactStatus")) || byIds;
    }

    /**
     * MergedToContactID only paged or fetched by ContactID or ContactNumber, as Xero's spec says of it ("Only returned
     * when using paging or when fetching a contact by ContactId or ContactNumber").
     */
    static ObjectNode shape(Tenant t, Rec rec, Listing.View view) {
        ObjectNode n = rec.n.deepCopy();
        if (!view.detailed()) n.remove("MergedToContactID");
        if (!view.summary()) return n;
        ObjectNode s = Json.obj();
        for (String f : SUMMARY_FIELDS) if (n.has(f)) s.set(f, n.get(f));
        return s;
    }

    /** A contact as a document refers to it. */
    static ObjectNode ref(Rec c) {
        ObjectNode o = Json.obj();
        o.put("ContactID", c.id);
        if (c.n.has("ContactNumber")) o.set("ContactNumber", c.n.get("ContactNumber"));
        o.put("Name", Json.text(c.n, "Name"));
        o.put("ContactStatus", Json.text(c.n, "ContactStatus"));
        return o;
    }

    /** Shows a document's contact as it is now (its name or status may have changed since the document was saved). */
    static void showCurrent(Tenant t, ObjectNode document) {
        Rec c = t.contacts.get(Json.text(document.get("Contact"), "ContactID"));
        if (c != null) document.set("Contact", ref(c));
    }

    private static String norm(String s) { return s == null ? null : s.trim().toLowerCase(Locale.ROOT); }

    private record Prepared(Rec existing, ObjectNode merged, boolean create) {}

    private Resp save(Tenant t, Request r, List<JsonNode> els) {
        return batch.<Prepared>save(r, "Contacts", els, (el, errs, earlier) -> {
            if (!el.isObject()) { errs.add("Invalid contact"); return null; }
            String id = Json.text(el, "ContactID");
            Rec existing = null;
            if (id != null) {
                existing = t.contacts.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            }
            ObjectNode merged = existing == null ? Json.obj() : existing.n.deepCopy();
            if (existing != null && "ARCHIVED".equals(Json.text(existing.n, "ContactStatus"))) {
                String wanted = Json.text(el, "ContactStatus");
                if (!"ACTIVE".equals(wanted)) {
                    errs.add("The contact has been archived and cannot be edited. To edit it, restore it (ContactStatus ACTIVE) first.");
                    return null;
                }
            }
            el.fields().forEachRemaining(e -> { if (FIELDS.contains(e.getKey())) merged.set(e.getKey(), e.getValue()); });
            String status = Json.text(el, "ContactStatus");
            if (status != null) {
                if (!Set.of("ACTIVE", "ARCHIVED").contains(status)) errs.add("ContactStatus must be ACTIVE or ARCHIVED.");
                else merged.put("ContactStatus", status);
            }
            if (!merged.has("ContactStatus")) merged.put("ContactStatus", "ACTIVE");
            String name = Json.text(merged, "Name");
            if (name == null || name.isBlank()) errs.add("The contact name must be specified.");
            else if (name.length() > 255) errs.add("The contact name must not be more than 255 characters long.");
            String number = Json.text(merged, "ContactNumber");
            if (number != null && number.length() > 50) errs.add("The contact number must not be more than 50 characters long.");
            String email = Json.text(merged, "EmailAddress");
            if (email != null && !email.isEmpty()) {
                if (email.length() > 255) errs.add("The email address must not be more than 255 characters long.");
                else if (!EMAIL.matcher(email).matches()) errs.add("Email address must be valid.");
            }
            String selfId = existing == null ? null : existing.id;
            boolean active = "ACTIVE".equals(Json.text(merged, "ContactStatus"));
            if (name != null && !name.isBlank() && active) {
                boolean clash = t.contacts.values().stream().anyMatch(c -> !c.id.equals(selfId)
                        && "ACTIVE".equals(Json.text(c.n, "ContactStatus")) && norm(name).equals(norm(Json.text(c.n, "Name"))));
                for (Prepared p : earlier) if (p != null && norm(name).equals(norm(Json.text(p.merged, "Name")))
                        && (p.existing == null || !p.existing.id.equals(selfId))) clash = true;
                if (clash) errs.add("The contact name " + name.trim() + " is already assigned to another contact. The contact name must be unique across all active contacts.");
            }
            // No uniqueness check of ContactNumber: Xero's documents promise none (OpenAPI Contact.ContactNumber: "used to
            // identify contacts in external systems (max length = 50)"), so a second contact with the same number is created.
            return new Prepared(existing, merged, existing == null);
        }, p -> {
            String id = p.existing == null ? Ledger.newId() : p.existing.id;
            ObjectNode n = p.merged;
            n.put("ContactID", id);
            if (!n.has("HasAttachments")) n.put("HasAttachments", false);
            n.put("HasValidationErrors", false);
            if (!n.has("IsSupplier")) n.put("IsSupplier", false);
            if (!n.has("IsCustomer")) n.put("IsCustomer", false);
            if (!n.has("Addresses")) n.putArray("Addresses");
            if (!n.has("Phones")) n.putArray("Phones");
            if (!n.has("ContactGroups")) n.putArray("ContactGroups");
            if (!n.has("ContactPersons")) n.putArray("ContactPersons");
            Rec rec = ledger.put(t, t.contacts, id, n);
            ledger.emit(t, "CONTACT", p.create ? "CREATE" : "UPDATE", "Contacts", id, null);
            return shape(t, rec, Listing.View.FULL);
        });
    }

    /** The Contact of a transaction, by ContactID, ContactNumber or Name (creating one by name, as Xero does, with {@code createByName}). */
    Rec resolve(Tenant t, JsonNode c, List<String> errs, boolean createByName) {
        if (c == null || c.isNull()) { errs.add("A Contact must be specified for this type of transaction"); return null; }
        String id = Json.text(c, "ContactID");
        if (id != null) {
            Rec r = t.contacts.get(id.toLowerCase(Locale.ROOT));
            if (r == null) errs.add("Contact with ContactID " + id + " could not be found");
            return r;
        }
        String num = Json.text(c, "ContactNumber");
        if (num != null) for (Rec r : t.contacts.values()) if (num.equalsIgnoreCase(Json.text(r.n, "ContactNumber"))) return r;
        String name = Json.text(c, "Name");
        if (name != null) {
            for (Rec r : t.contacts.values()) if ("ACTIVE".equals(Json.text(r.n, "ContactStatus")) && norm(name).equals(norm(Json.text(r.n, "Name")))) return r;
            if (createByName) {
                ObjectNode n = Json.obj();
                String cid = Ledger.newId();
                n.put("ContactID", cid);
                n.put("ContactStatus", "ACTIVE");
                n.put("Name", name.trim());
                if (num != null) n.put("ContactNumber", num);
                n.put("HasValidationErrors", false);
                Rec rec = ledger.put(t, t.contacts, cid, n);
                ledger.emit(t, "CONTACT", "CREATE", "Contacts", cid, null);
                return rec;
            }
        }
        errs.add("A Contact must be specified for this type of transaction");
        return null;
    }

    /** What Xero's "merge contacts" does: transactions move to {@code into}, {@code from} is archived with MergedToContactID. */
    void merge(Tenant t, String fromId, String intoId) {
        Rec from = Ledger.find(t.contacts, fromId), into = Ledger.find(t.contacts, intoId);
        if (from == into) throw XeroError.badRequest("Cannot merge a contact into itself");
        ObjectNode ref = ref(into);
        for (Map<String, Rec> m : List.of(t.invoices, t.creditNotes, t.payments, t.bankTransactions, t.prepayments, t.overpayments)) {
            for (Rec rec : m.values()) {
                boolean moved = false;
                if (fromId.equalsIgnoreCase(Json.text(rec.n.get("Contact"), "ContactID"))) { rec.n.set("Contact", ref.deepCopy()); moved = true; }
                JsonNode inv = rec.n.get("Invoice");
                if (inv instanceof ObjectNode io && io.has("Contact") && fromId.equalsIgnoreCase(Json.text(io.get("Contact"), "ContactID"))) { io.set("Contact", ref.deepCopy()); moved = true; }
                if (moved) {
                    ledger.touch(rec);
                    if (m == t.invoices) ledger.emit(t, "INVOICE", "UPDATE", "Invoices", rec.id, null);
                    if (m == t.creditNotes) ledger.emit(t, "CREDITNOTE", "UPDATE", "CreditNotes", rec.id, CreditNotes.eventData(rec));
                }
            }
        }
        from.n.put("ContactStatus", "ARCHIVED");
        from.n.put("MergedToContactID", into.id);
        ledger.touch(from);
        ledger.touch(into);
        ledger.emit(t, "CONTACT", "UPDATE", "Contacts", from.id, null);
        ledger.emit(t, "CONTACT", "UPDATE", "Contacts", into.id, null);
    }
}
