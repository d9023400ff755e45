package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lrm.xero.sandbox.Model.Rec;
import org.lrm.xero.sandbox.Model.Resp;
import org.lrm.xero.sandbox.Model.SandboxClock;
import org.lrm.xero.sandbox.Model.Tenant;
import org.lrm.xero.sandbox.Model.XeroError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The Accounting API (api.xro/2.0) over a tenant's in-memory ledger. Callers hold the tenant's lock. */
final class Accounting {

    /** Receives create/update notifications for webhooks. */
    interface Events {
        void emit(Tenant t, String category, String eventType, String resource, String resourceId, ObjectNode data);
    }

    static final BigDecimal ZERO = new BigDecimal("0.00");
    static final BigDecimal GST = new BigDecimal("0.10");
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Set<String> CONTACT_FIELDS = Set.of("ContactNumber", "AccountNumber", "Name", "FirstName", "LastName",
            "CompanyNumber", "EmailAddress", "ContactPersons", "BankAccountDetails", "TaxNumber", "AccountsReceivableTaxType",
            "AccountsPayableTaxType", "Addresses", "Phones", "IsSupplier", "IsCustomer", "DefaultCurrency", "XeroNetworkKey",
            "SalesDefaultAccountCode", "PurchasesDefaultAccountCode", "PaymentTerms", "Website");

    private final SandboxClock clock;
    private final Events events;

    Accounting(SandboxClock clock, Events events) { this.clock = clock; this.events = events; }

    record Req(String method, List<String> path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        String q(String k) {
            for (var e : query.entrySet()) if (e.getKey().equalsIgnoreCase(k)) return e.getValue();
            return null;
        }
        String h(String k) { return headers.get(k.toLowerCase(Locale.ROOT)); }
        boolean flag(String k, boolean dflt) { String v = q(k); return v == null ? dflt : Boolean.parseBoolean(v); }
    }

    Resp handle(Tenant t, Req r) {
        if (r.path().isEmpty()) throw XeroError.notFound();
        String res = r.path().get(0).toLowerCase(Locale.ROOT);
        String id = r.path().size() > 1 ? r.path().get(1) : null;
        String sub = r.path().size() > 2 ? r.path().get(2).toLowerCase(Locale.ROOT) : null;
        boolean get = r.method().equals("GET");
        boolean write = r.method().equals("PUT") || r.method().equals("POST");
        switch (res) {
            case "contacts":
                if (get && id == null) return list(t, "Contacts", t.contacts.values(), r, this::contactOut, contactFilter(r));
                if (get) return one("Contacts", findBy(t.contacts, id, "ContactNumber"), rec -> contactOut(t, rec, false));
                if (write && id == null) return saveContacts(t, r, arrayOf(r, "Contacts"));
                if (write) return saveContacts(t, r, withId(r, "Contacts", "ContactID", id));
                break;
            case "invoices":
                if (get && id == null) return list(t, "Invoices", t.invoices.values(), r, this::invoiceOut, invoiceFilter(r));
                if (get && sub == null) {
                    Rec inv = findBy(t.invoices, id, "InvoiceNumber");
                    String accept = r.h("accept");
                    if (accept != null && accept.contains("application/pdf"))
                        return new Resp(200, "application/pdf", Pdf.invoice(t, invoiceOut(t, inv, false)));
                    return one("Invoices", inv, rec -> invoiceOut(t, rec, false));
                }
                if (get && sub.equals("onlineinvoice")) return onlineInvoice(t, find(t.invoices, id));
                if (write && id == null) return saveInvoices(t, r, arrayOf(r, "Invoices"));
                if (write && sub == null) return saveInvoices(t, r, withId(r, "Invoices", "InvoiceID", id));
                break;
            case "payments":
                if (get && id == null) return list(t, "Payments", t.payments.values(), r, (tt, p, s) -> p.n.deepCopy(), null);
                if (get) return one("Payments", find(t.payments, id), rec -> rec.n.deepCopy());
                if (write && id == null) return createPayments(t, r, arrayOf(r, "Payments"));
                if (write) return updatePayment(t, find(t.payments, id), r);
                break;
            case "creditnotes":
                if (get && id == null) return list(t, "CreditNotes", t.creditNotes.values(), r, this::creditOut, creditFilter(r));
                if (get) return one("CreditNotes", find(t.creditNotes, id), rec -> creditOut(t, rec, false));
                if (write && id == null) return saveCreditNotes(t, r, arrayOf(r, "CreditNotes"));
                if (write && sub == null) return saveCreditNotes(t, r, withId(r, "CreditNotes", "CreditNoteID", id));
                if (r.method().equals("PUT") && sub.equals("allocations")) return allocate(t, "CreditNote", find(t.creditNotes, id), r);
                break;
            case "banktransactions":
                if (get && id == null) return list(t, "BankTransactions", t.bankTransactions.values(), r, (tt, p, s) -> p.n.deepCopy(), null);
                if (get) return one("BankTransactions", find(t.bankTransactions, id), rec -> rec.n.deepCopy());
                if (write && id == null) return createBankTransactions(t, r, arrayOf(r, "BankTransactions"));
                break;
            case "prepayments":
                if (get && id == null) return list(t, "Prepayments", t.prepayments.values(), r, this::prepayOut, null);
                if (get) return one("Prepayments", find(t.prepayments, id), rec -> prepayOut(t, rec, false));
                if (r.method().equals("PUT") && "allocations".equals(sub)) return allocate(t, "Prepayment", find(t.prepayments, id), r);
                break;
            case "overpayments":
                if (get && id == null) return list(t, "Overpayments", t.overpayments.values(), r, this::prepayOut, null);
                if (get) return one("Overpayments", find(t.overpayments, id), rec -> prepayOut(t, rec, false));
                if (r.method().equals("PUT") && "allocations".equals(sub)) return allocate(t, "Overpayment", find(t.overpayments, id), r);
                break;
            case "accounts":
                if (get) {
                    ObjectNode b = envelope();
                    ArrayNode a = b.putArray("Accounts");
                    Predicate<ObjectNode> w = Query.where(r.q("where"));
                    for (ObjectNode acc : t.accounts.values()) if (w.test(acc)) a.add(acc.deepCopy());
                    return Resp.json(200, b);
                }
                break;
            case "organisation":
                if (get) {
                    ObjectNode b = envelope();
                    ObjectNode o = b.putArray("Organisations").addObject();
                    o.put("OrganisationID", t.id);
                    o.put("Name", t.name);
                    o.put("LegalName", t.name);
                    o.put("BaseCurrency", "AUD");
                    o.put("CountryCode", "AU");
                    o.put("OrganisationType", "COMPANY");
                    o.put("OrganisationStatus", "ACTIVE");
                    o.put("IsDemoCompany", false);
                    o.put("Version", "AU");
                    o.put("CreatedDateUTC", J.msDate(t.created));
                    return Resp.json(200, b);
                }
                break;
            default:
        }
        throw XeroError.notFound();
    }

    // ---- generic listing -----------------------------------------------------------------------

    interface Out { ObjectNode out(Tenant t, Rec r, boolean summary); }

    ObjectNode envelope() {
        ObjectNode b = J.obj();
        b.put("Id", UUID.randomUUID().toString());
        b.put("Status", "OK");
        b.put("ProviderName", "Xero Sandbox");
        b.put("DateTimeUTC", "/Date(" + clock.now().toEpochMilli() + ")/");
        return b;
    }

    private Resp list(Tenant t, String key, Collection<Rec> recs, Req r, Out out, Predicate<Rec> pre) {
        Instant since = J.parseHttpDate(r.h("if-modified-since"));
        List<String> ids = Model.splitCsv(r.q("IDs"));
        boolean summary = r.flag("summaryOnly", false);
        Predicate<ObjectNode> where = Query.where(r.q("where"));
        List<ObjectNode> items = new ArrayList<>();
        for (Rec rec : recs) {
            if (since != null && rec.updated.isBefore(since)) continue;
            if (!ids.isEmpty() && ids.stream().noneMatch(i -> i.equalsIgnoreCase(rec.id))) continue;
            if (pre != null && !pre.test(rec)) continue;
            ObjectNode full = out.out(t, rec, false);
            if (!where.test(full)) continue;
            items.add(summary ? out.out(t, rec, true) : full);
        }
        Comparator<ObjectNode> cmp = Query.order(r.q("order"));
        if (cmp != null) items.sort(cmp);
        ObjectNode b = envelope();
        String pageParam = r.q("page");
        if (pageParam != null) {
            int page = Math.max(1, parseInt(pageParam, 1));
            String ps = r.q("pageSize");
            int pageSize = ps == null ? 100 : Math.max(1, Math.min(1000, parseInt(ps, 100)));
            int count = items.size();
            int from = Math.min(count, (page - 1) * pageSize);
            int to = Math.min(count, from + pageSize);
            ObjectNode p = b.putObject("pagination");
            p.put("page", page);
            p.put("pageSize", pageSize);
            p.put("pageCount", (count + pageSize - 1) / pageSize);
            p.put("itemCount", count);
            items = items.subList(from, to);
        }
        ArrayNode a = b.putArray(key);
        items.forEach(a::add);
        return Resp.json(200, b);
    }

    private static int parseInt(String s, int d) { try { return Integer.parseInt(s.trim()); } catch (Exception e) { return d; } }

    private Resp one(String key, Rec rec, java.util.function.Function<Rec, ObjectNode> out) {
        ObjectNode b = envelope();
        b.putArray(key).add(out.apply(rec));
        return Resp.json(200, b);
    }

    private static Rec find(Map<String, Rec> m, String id) {
        Rec r = m.get(id.toLowerCase(Locale.ROOT));
        if (r == null) throw XeroError.notFound();
        return r;
    }

    /** By id, or (as Xero allows on GET /Contacts/{ContactNumber} and /Invoices/{InvoiceNumber}) by number. */
    private static Rec findBy(Map<String, Rec> m, String id, String numberField) {
        Rec r = m.get(id.toLowerCase(Locale.ROOT));
        if (r != null) return r;
        for (Rec x : m.values()) if (id.equals(J.text(x.n, numberField))) return x;
        throw XeroError.notFound();
    }

    private static List<JsonNode> arrayOf(Req r, String key) {
        JsonNode body = J.read(r.body());
        JsonNode arr = body.get(key);
        List<JsonNode> out = new ArrayList<>();
        if (arr != null && arr.isArray()) arr.forEach(out::add);
        else if (body.isObject() && body.size() > 0 && arr == null) out.add(body); // a single element posted bare
        if (out.isEmpty()) throw XeroError.badRequest("No " + key + " were found in the request");
        return out;
    }

    private static List<JsonNode> withId(Req r, String key, String idField, String id) {
        List<JsonNode> els = arrayOf(r, key);
        for (JsonNode e : els) if (e.isObject() && !e.has(idField)) ((ObjectNode) e).put(idField, id);
        return els;
    }

    private Rec put(Tenant t, Map<String, Rec> m, String id, ObjectNode n) {
        Instant now = tick(t);
        n.put("UpdatedDateUTC", J.msDate(now));
        Rec existing = m.get(id);
        if (existing != null) { existing.n = n; existing.updated = now; return existing; }
        Rec rec = new Rec(id, n, now, ++t.seq);
        m.put(id, rec);
        return rec;
    }

    /** Strictly increasing timestamps per tenant so If-Modified-Since never loses a change. */
    private Instant lastStamp = Instant.EPOCH;
    private synchronized Instant tick(Tenant t) {
        Instant now = clock.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (!now.isAfter(lastStamp)) now = lastStamp.plusMillis(1);
        lastStamp = now;
        return now;
    }

    private void touch(Tenant t, Rec rec) {
        Instant now = tick(t);
        rec.updated = now;
        rec.n.put("UpdatedDateUTC", J.msDate(now));
    }

    private static String newId() { return UUID.randomUUID().toString(); }

    /** Runs per-element validation; with summarizeErrors=true (default) any error fails the whole batch. */
    private Resp batch(Req r, String key, List<JsonNode> els, Validator v, Saver s) {
        boolean summarize = r.flag("summarizeErrors", true);
        List<List<String>> errors = new ArrayList<>();
        List<Object> prepared = new ArrayList<>();
        for (JsonNode el : els) {
            List<String> errs = new ArrayList<>();
            Object p = null;
            try { p = v.validate(el, errs, prepared); } catch (XeroError e) { throw e; }
            errors.add(errs);
            prepared.add(errs.isEmpty() ? p : null);
        }
        boolean anyError = errors.stream().anyMatch(e -> !e.isEmpty());
        if (anyError && summarize) {
            List<ObjectNode> bad = new ArrayList<>();
            for (int i = 0; i < els.size(); i++) {
                if (errors.get(i).isEmpty()) continue;
                ObjectNode e = els.get(i).isObject() ? ((ObjectNode) els.get(i).deepCopy()) : J.obj();
                ArrayNode ve = e.putArray("ValidationErrors");
                errors.get(i).forEach(m -> ve.addObject().put("Message", m));
                bad.add(e);
            }
            throw new XeroError(Resp.json(400, XeroError.validationBody(bad)));
        }
        ObjectNode b = envelope();
        ArrayNode out = b.putArray(key);
        for (int i = 0; i < els.size(); i++) {
            if (errors.get(i).isEmpty()) {
                ObjectNode o = s.save(prepared.get(i));
                if (!summarize) { o.put("StatusAttributeString", "OK"); }
                out.add(o);
            } else {
                ObjectNode e = els.get(i).isObject() ? ((ObjectNode) els.get(i).deepCopy()) : J.obj();
                e.put("StatusAttributeString", "ERROR");
                ArrayNode ve = e.putArray("ValidationErrors");
                errors.get(i).forEach(m -> ve.addObject().put("Message", m));
                if (key.equals("Contacts")) e.put("HasValidationErrors", true);
                else e.put("HasErrors", true);
                out.add(e);
            }
        }
        return Resp.json(200, b);
    }

    interface Validator { Object validate(JsonNode el, List<String> errs, List<Object> earlier); }
    interface Saver { ObjectNode save(Object prepared); }

    // ---- contacts ------------------------------------------------------------------------------

    private Predicate<Rec> contactFilter(Req r) {
        boolean includeArchived = r.flag("includeArchived", false);
        return rec -> includeArchived || !"ARCHIVED".equals(J.text(rec.n, "ContactStatus"))
                || (r.q("IDs") != null); // Xero returns archived contacts asked for by ID
    }

    ObjectNode contactOut(Tenant t, Rec rec, boolean summary) {
        ObjectNode n = rec.n.deepCopy();
        if (summary) {
            ObjectNode s = J.obj();
            for (String f : List.of("ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name", "FirstName", "LastName",
                    "EmailAddress", "MergedToContactID", "UpdatedDateUTC", "IsSupplier", "IsCustomer", "HasAttachments", "HasValidationErrors"))
                if (n.has(f)) s.set(f, n.get(f));
            return s;
        }
        return n;
    }

    private record ContactPrep(Rec existing, ObjectNode merged, boolean create) {}

    private static String norm(String s) { return s == null ? null : s.trim().toLowerCase(Locale.ROOT); }

    private Resp saveContacts(Tenant t, Req r, List<JsonNode> els) {
        return batch(r, "Contacts", els, (el, errs, earlier) -> {
            if (!el.isObject()) { errs.add("Invalid contact"); return null; }
            String id = J.text(el, "ContactID");
            Rec existing = null;
            if (id != null) {
                existing = t.contacts.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            }
            ObjectNode merged = existing == null ? J.obj() : existing.n.deepCopy();
            if (existing != null && "ARCHIVED".equals(J.text(existing.n, "ContactStatus"))) {
                String wanted = J.text(el, "ContactStatus");
                if (!"ACTIVE".equals(wanted)) {
                    errs.add("The contact has been archived and cannot be edited. To edit it, restore it (ContactStatus ACTIVE) first.");
                    return null;
                }
            }
            el.fields().forEachRemaining(e -> { if (CONTACT_FIELDS.contains(e.getKey())) merged.set(e.getKey(), e.getValue()); });
            String status = J.text(el, "ContactStatus");
            if (status != null) {
                if (!Set.of("ACTIVE", "ARCHIVED").contains(status)) errs.add("ContactStatus must be ACTIVE or ARCHIVED.");
                else merged.put("ContactStatus", status);
            }
            if (!merged.has("ContactStatus")) merged.put("ContactStatus", "ACTIVE");
            String name = J.text(merged, "Name");
            if (name == null || name.isBlank()) errs.add("The contact name must be specified.");
            else if (name.length() > 255) errs.add("The contact name must not be more than 255 characters long.");
            String number = J.text(merged, "ContactNumber");
            if (number != null && number.length() > 50) errs.add("The contact number must not be more than 50 characters long.");
            String email = J.text(merged, "EmailAddress");
            if (email != null && !email.isEmpty()) {
                if (email.length() > 255) errs.add("The email address must not be more than 255 characters long.");
                else if (!EMAIL.matcher(email).matches()) errs.add("Email address must be valid.");
            }
            String selfId = existing == null ? null : existing.id;
            boolean active = "ACTIVE".equals(J.text(merged, "ContactStatus"));
            if (name != null && !name.isBlank() && active) {
                boolean clash = t.contacts.values().stream().anyMatch(c -> !c.id.equals(selfId)
                        && "ACTIVE".equals(J.text(c.n, "ContactStatus")) && norm(name).equals(norm(J.text(c.n, "Name"))));
                for (Object o : earlier) if (o instanceof ContactPrep p && norm(name).equals(norm(J.text(p.merged, "Name")))
                        && (p.existing == null || !p.existing.id.equals(selfId))) clash = true;
                if (clash) errs.add("The contact name " + name.trim() + " is already assigned to another contact. The contact name must be unique across all active contacts.");
            }
            if (number != null && !number.isBlank()) {
                boolean clash = t.contacts.values().stream().anyMatch(c -> !c.id.equals(selfId) && number.trim().equalsIgnoreCase(J.text(c.n, "ContactNumber")));
                for (Object o : earlier) if (o instanceof ContactPrep p && number.trim().equalsIgnoreCase(J.text(p.merged, "ContactNumber"))
                        && (p.existing == null || !p.existing.id.equals(selfId))) clash = true;
                if (clash) errs.add("The contact number " + number.trim() + " is already assigned to another contact.");
            }
            return new ContactPrep(existing, merged, existing == null);
        }, p -> {
            ContactPrep cp = (ContactPrep) p;
            String id = cp.existing == null ? newId() : cp.existing.id;
            ObjectNode n = cp.merged;
            n.put("ContactID", id);
            if (!n.has("HasAttachments")) n.put("HasAttachments", false);
            n.put("HasValidationErrors", false);
            if (!n.has("IsSupplier")) n.put("IsSupplier", false);
            if (!n.has("IsCustomer")) n.put("IsCustomer", false);
            if (!n.has("Addresses")) n.putArray("Addresses");
            if (!n.has("Phones")) n.putArray("Phones");
            if (!n.has("ContactGroups")) n.putArray("ContactGroups");
            if (!n.has("ContactPersons")) n.putArray("ContactPersons");
            Rec rec = put(t, t.contacts, id, n);
            events.emit(t, "CONTACT", cp.create ? "CREATE" : "UPDATE", "Contacts", id, null);
            return contactOut(t, rec, false);
        });
    }

    /** What Xero's "merge contacts" does. */
    void merge(Tenant t, String fromId, String intoId) {
        Rec from = find(t.contacts, fromId), into = find(t.contacts, intoId);
        if (from == into) throw XeroError.badRequest("Cannot merge a contact into itself");
        ObjectNode ref = contactRef(into);
        for (Map<String, Rec> m : List.of(t.invoices, t.creditNotes, t.payments, t.bankTransactions, t.prepayments, t.overpayments)) {
            for (Rec rec : m.values()) {
                boolean moved = false;
                if (fromId.equalsIgnoreCase(J.text(rec.n.get("Contact"), "ContactID"))) { rec.n.set("Contact", ref.deepCopy()); moved = true; }
                JsonNode inv = rec.n.get("Invoice");
                if (inv instanceof ObjectNode io && io.has("Contact") && fromId.equalsIgnoreCase(J.text(io.get("Contact"), "ContactID"))) { io.set("Contact", ref.deepCopy()); moved = true; }
                if (moved) {
                    touch(t, rec);
                    if (m == t.invoices) events.emit(t, "INVOICE", "UPDATE", "Invoices", rec.id, null);
                    if (m == t.creditNotes) events.emit(t, "CREDITNOTE", "UPDATE", "CreditNotes", rec.id, cnData(rec));
                }
            }
        }
        from.n.put("ContactStatus", "ARCHIVED");
        from.n.put("MergedToContactID", into.id);
        touch(t, from);
        touch(t, into);
        events.emit(t, "CONTACT", "UPDATE", "Contacts", from.id, null);
        events.emit(t, "CONTACT", "UPDATE", "Contacts", into.id, null);
    }

    private static ObjectNode contactRef(Rec c) {
        ObjectNode o = J.obj();
        o.put("ContactID", c.id);
        if (c.n.has("ContactNumber")) o.set("ContactNumber", c.n.get("ContactNumber"));
        o.put("Name", J.text(c.n, "Name"));
        o.put("ContactStatus", J.text(c.n, "ContactStatus"));
        return o;
    }

    /** Resolves the Contact of a transaction by ContactID, ContactNumber or Name (creating one by name, as Xero does). */
    private Rec resolveContact(Tenant t, JsonNode c, List<String> errs, boolean createByName) {
        if (c == null || c.isNull()) { errs.add("A Contact must be specified for this type of transaction"); return null; }
        String id = J.text(c, "ContactID");
        if (id != null) {
            Rec r = t.contacts.get(id.toLowerCase(Locale.ROOT));
            if (r == null) errs.add("Contact with ContactID " + id + " could not be found");
            return r;
        }
        String num = J.text(c, "ContactNumber");
        if (num != null) for (Rec r : t.contacts.values()) if (num.equalsIgnoreCase(J.text(r.n, "ContactNumber"))) return r;
        String name = J.text(c, "Name");
        if (name != null) {
            for (Rec r : t.contacts.values()) if ("ACTIVE".equals(J.text(r.n, "ContactStatus")) && norm(name).equals(norm(J.text(r.n, "Name")))) return r;
            if (createByName) {
                ObjectNode n = J.obj();
                String cid = newId();
                n.put("ContactID", cid);
                n.put("ContactStatus", "ACTIVE");
                n.put("Name", name.trim());
                if (num != null) n.put("ContactNumber", num);
                n.put("HasValidationErrors", false);
                Rec rec = put(t, t.contacts, cid, n);
                events.emit(t, "CONTACT", "CREATE", "Contacts", cid, null);
                return rec;
            }
        }
        errs.add("A Contact must be specified for this type of transaction");
        return null;
    }

    // ---- line items and totals -----------------------------------------------------------------

    record Totals(ArrayNode lines, BigDecimal sub, BigDecimal tax, BigDecimal total) {}

    static BigDecimal taxRate(Tenant t, String taxType, String accountCode) {
        String tt = taxType;
        if (tt == null || tt.isBlank()) {
            ObjectNode acc = accountCode == null ? null : t.accounts.get(accountCode);
            tt = acc == null ? "NONE" : J.text(acc, "TaxType");
        }
        return switch (tt.toUpperCase(Locale.ROOT)) {
            case "OUTPUT", "INPUT", "OUTPUT2", "INPUT2", "GSTONIMPORTS", "CAPEXINPUT" -> GST;
            default -> BigDecimal.ZERO;
        };
    }

    static String lineAmountTypes(String v) {
        if (v == null) return "Exclusive";
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "INCLUSIVE" -> "Inclusive";
            case "NOTAX", "NONE" -> "NoTax";
            default -> "Exclusive";
        };
    }

    Totals totals(Tenant t, JsonNode lineItems, String lat, List<String> errs, boolean requireAccount) {
        ArrayNode out = J.arr();
        BigDecimal sub = BigDecimal.ZERO, tax = BigDecimal.ZERO, total = BigDecimal.ZERO;
        if (lineItems != null && lineItems.isArray()) {
            for (JsonNode li : lineItems) {
                ObjectNode l = li.isObject() ? ((ObjectNode) li.deepCopy()) : J.obj();
                if (!l.has("LineItemID")) l.put("LineItemID", newId());
                BigDecimal qty = J.dec(l, "Quantity", null);
                BigDecimal unit = J.dec(l, "UnitAmount", null);
                BigDecimal amount;
                if (unit != null) {
                    if (qty == null) qty = BigDecimal.ONE;
                    amount = J.money(qty.multiply(unit));
                } else {
                    amount = J.money(J.dec(l, "LineAmount", BigDecimal.ZERO));
                    if (qty == null) qty = BigDecimal.ONE;
                    unit = qty.signum() == 0 ? amount : amount.divide(qty, 4, RoundingMode.HALF_UP);
                }
                String code = J.text(l, "AccountCode");
                if (code != null && !t.accounts.containsKey(code)) errs.add("Account code '" + code + "' is not a valid code for this document.");
                if (code == null && requireAccount) errs.add("Account code must be specified for each line item.");
                String desc = J.text(l, "Description");
                if ((desc == null || desc.isBlank()) && J.text(l, "ItemCode") == null) errs.add("The Description field is mandatory for each line item.");
                BigDecimal rate = lat.equals("NoTax") ? BigDecimal.ZERO : taxRate(t, J.text(l, "TaxType"), code);
                BigDecimal lineTax;
                BigDecimal net;
                if (lat.equals("Inclusive")) {
                    lineTax = J.money(amount.multiply(rate).divide(BigDecimal.ONE.add(rate), 10, RoundingMode.HALF_UP));
                    net = amount.subtract(lineTax);
                    total = total.add(amount);
                } else {
                    lineTax = J.money(amount.multiply(rate));
                    net = amount;
                    total = total.add(amount).add(lineTax);
                }
                if (!l.has("TaxType") || l.get("TaxType").isNull()) {
                    ObjectNode acc = code == null ? null : t.accounts.get(code);
                    l.put("TaxType", lat.equals("NoTax") ? "NONE" : acc == null ? "NONE" : J.text(acc, "TaxType"));
                }
                sub = sub.add(net);
                tax = tax.add(lineTax);
                l.put("Quantity", qty);
                l.put("UnitAmount", unit);
                l.put("LineAmount", amount);
                l.put("TaxAmount", lineTax);
                l.putArray("Tracking");
                out.add(l);
            }
        }
        return new Totals(out, J.money(sub), J.money(tax), J.money(total));
    }

    // ---- invoices ------------------------------------------------------------------------------

    private Predicate<Rec> invoiceFilter(Req r) {
        List<String> contactIds = Model.splitCsv(r.q("ContactIDs"));
        List<String> statuses = Model.splitCsv(r.q("Statuses"));
        List<String> numbers = Model.splitCsv(r.q("InvoiceNumbers"));
        boolean includeArchived = r.flag("includeArchived", false);
        return rec -> (contactIds.isEmpty() || contactIds.stream().anyMatch(c -> c.equalsIgnoreCase(J.text(rec.n.get("Contact"), "ContactID"))))
                && (statuses.isEmpty() || statuses.contains(J.text(rec.n, "Status")))
                && (numbers.isEmpty() || numbers.contains(J.text(rec.n, "InvoiceNumber")))
                && (includeArchived || !statuses.isEmpty() || !"DELETED".equals(J.text(rec.n, "Status")) || true);
    }

    ObjectNode invoiceOut(Tenant t, Rec rec, boolean summary) {
        ObjectNode n = rec.n.deepCopy();
        Rec c = t.contacts.get(J.text(n.get("Contact"), "ContactID"));
        if (c != null) n.set("Contact", contactRef(c));
        ArrayNode payments = n.putArray("Payments");
        for (Rec p : t.paymentsOf(rec.id)) {
            if (!"AUTHORISED".equals(J.text(p.n, "Status"))) continue;
            ObjectNode o = payments.addObject();
            o.put("PaymentID", p.id);
            o.set("Date", p.n.get("Date"));
            o.set("Amount", p.n.get("Amount"));
            o.set("BankAmount", p.n.get("Amount"));
            if (p.n.has("Reference")) o.set("Reference", p.n.get("Reference"));
            o.put("CurrencyRate", new BigDecimal("1.000000"));
            o.put("HasAccount", false);
            o.put("HasValidationErrors", false);
        }
        allocationsTo(t, rec.id, t.creditNotes.values(), "CreditNoteID", "CreditNoteNumber", n.putArray("CreditNotes"));
        allocationsTo(t, rec.id, t.prepayments.values(), "PrepaymentID", null, n.putArray("Prepayments"));
        allocationsTo(t, rec.id, t.overpayments.values(), "OverpaymentID", null, n.putArray("Overpayments"));
        if (summary) {
            n.remove(List.of("LineItems", "Payments", "CreditNotes", "Prepayments", "Overpayments"));
        }
        return n;
    }

    private static void allocationsTo(Tenant t, String invoiceId, Collection<Rec> sources, String idField, String numberField, ArrayNode into) {
        for (Rec s : sources) {
            BigDecimal applied = BigDecimal.ZERO;
            String date = null;
            for (JsonNode a : s.n.withArray("Allocations")) {
                if (!invoiceId.equals(J.text(a.get("Invoice"), "InvoiceID")) || a.path("IsDeleted").asBoolean(false)) continue;
                applied = applied.add(a.get("Amount").decimalValue());
                date = J.text(a, "Date");
            }
            if (applied.signum() == 0) continue;
            ObjectNode o = into.addObject();
            o.put(idField, s.id);
            if (numberField != null && s.n.has(numberField)) o.set(numberField, s.n.get(numberField));
            o.put("ID", s.id);
            o.put("AppliedAmount", J.money(applied));
            o.put("Date", date);
            o.set("Total", s.n.get("Total"));
            o.set("Status", s.n.get("Status"));
            o.set("Type", s.n.get("Type"));
            o.set("RemainingCredit", s.n.get("RemainingCredit"));
            o.put("HasAttachments", false);
        }
    }

    private record InvPrep(Rec existing, ObjectNode n, boolean create) {}

    private Resp saveInvoices(Tenant t, Req r, List<JsonNode> els) {
        return batch(r, "Invoices", els, (el, errs, earlier) -> {
            if (!el.isObject()) { errs.add("Invalid invoice"); return null; }
            String id = J.text(el, "InvoiceID");
            Rec existing = null;
            if (id != null) {
                existing = t.invoices.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            } else if (J.text(el, "InvoiceNumber") != null && r.method().equals("POST")) {
                // POST with a known InvoiceNumber updates that invoice, as Xero does.
                for (Rec inv : t.invoices.values()) if (J.text(el, "InvoiceNumber").equals(J.text(inv.n, "InvoiceNumber"))
                        && !"DELETED".equals(J.text(inv.n, "Status")) && !"VOIDED".equals(J.text(inv.n, "Status"))) { existing = inv; break; }
            }
            ObjectNode n = existing == null ? J.obj() : existing.n.deepCopy();
            String oldStatus = existing == null ? null : J.text(existing.n, "Status");
            String newStatus = J.text(el, "Status");
            if (existing != null) {
                BigDecimal paid = J.dec(existing.n, "AmountPaid", BigDecimal.ZERO), credited = J.dec(existing.n, "AmountCredited", BigDecimal.ZERO);
                boolean hasMoney = paid.signum() != 0 || credited.signum() != 0;
                if (Set.of("VOIDED", "DELETED").contains(oldStatus)) { errs.add("This document cannot be edited as it has been " + oldStatus.toLowerCase(Locale.ROOT) + "."); return null; }
                if ("VOIDED".equals(newStatus)) {
                    if (hasMoney) { errs.add("This document cannot be voided as it has payments or credit notes allocated to it."); return null; }
                    if (!Set.of("AUTHORISED", "SUBMITTED").contains(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
                    n.put("Status", "VOIDED");
                    n.put("AmountDue", ZERO);
                    return new InvPrep(existing, n, false);
                }
                if ("DELETED".equals(newStatus)) {
                    if (!Set.of("DRAFT", "SUBMITTED").contains(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
                    n.put("Status", "DELETED");
                    return new InvPrep(existing, n, false);
                }
                if (hasMoney && (el.has("LineItems") || el.has("Contact"))) {
                    errs.add("This document cannot be edited as it has a payment or credit note allocated to it.");
                    return null;
                }
                if ("PAID".equals(oldStatus)) { errs.add("Invoice not of valid status for modification"); return null; }
            }
            String type = J.text(el, "Type");
            if (type != null) n.put("Type", type);
            type = J.text(n, "Type");
            if (type == null) errs.add("Invoice Type must be specified");
            else if (!Set.of("ACCREC", "ACCPAY").contains(type)) errs.add("Invoice Type must be ACCREC or ACCPAY");
            for (String f : List.of("Reference", "Url", "SentToContact", "BrandingThemeID", "ExpectedPaymentDate", "PlannedPaymentDate"))
                if (el.has(f)) n.set(f, el.get(f));
            if (el.has("Contact") || existing == null) {
                Rec c = resolveContact(t, el.get("Contact"), errs, false);
                if (c != null) n.set("Contact", contactRef(c));
            }
            LocalDate date = el.has("Date") ? J.parseDate(J.text(el, "Date")) : existing == null ? LocalDate.ofInstant(clock.now(), ZoneOffset.UTC) : null;
            if (date != null) { n.put("Date", J.msDate(J.dateInstant(date))); n.put("DateString", J.dateString(date)); }
            if (el.has("DueDate")) {
                LocalDate due = J.parseDate(J.text(el, "DueDate"));
                if (due != null) { n.put("DueDate", J.msDate(J.dateInstant(due))); n.put("DueDateString", J.dateString(due)); }
            }
            String number = J.text(el, "InvoiceNumber");
            if (number != null) {
                if (number.length() > 255) errs.add("Invoice Number must not be more than 255 characters long.");
                String selfId = existing == null ? null : existing.id;
                String fType = type;
                boolean clash = t.invoices.values().stream().anyMatch(i -> !i.id.equals(selfId) && number.equals(J.text(i.n, "InvoiceNumber"))
                        && fType != null && fType.equals(J.text(i.n, "Type")) && !"DELETED".equals(J.text(i.n, "Status")));
                for (Object o : earlier) if (o instanceof InvPrep p && number.equals(J.text(p.n, "InvoiceNumber"))) clash = true;
                if (clash && "ACCREC".equals(type)) errs.add("Invoice # must be unique.");
                n.put("InvoiceNumber", number);
            }
            String lat = lineAmountTypes(el.has("LineAmountTypes") ? J.text(el, "LineAmountTypes") : J.text(n, "LineAmountTypes"));
            n.put("LineAmountTypes", lat);
            String status = newStatus != null ? newStatus : oldStatus != null ? oldStatus : "DRAFT";
            if (!Set.of("DRAFT", "SUBMITTED", "AUTHORISED").contains(status)) { errs.add("Invoice Status must be DRAFT, SUBMITTED or AUTHORISED when saving an invoice."); status = "DRAFT"; }
            if (oldStatus != null && oldStatus.equals("AUTHORISED") && !status.equals("AUTHORISED")) errs.add("Invoice not of valid status for modification");
            n.put("Status", status);
            JsonNode lines = el.has("LineItems") ? el.get("LineItems") : n.get("LineItems");
            Totals tot = totals(t, lines, lat, errs, !status.equals("DRAFT"));
            if (status.equals("AUTHORISED") && (lines == null || lines.size() == 0)) errs.add("An invoice must have at least one line item to be approved.");
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            if (tot.total().signum() < 0) errs.add("The document total must be greater than or equal to zero.");
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", new BigDecimal("1.000000"));
            if (!n.has("AmountPaid")) n.put("AmountPaid", ZERO);
            if (!n.has("AmountCredited")) n.put("AmountCredited", ZERO);
            n.put("HasAttachments", false);
            n.put("IsDiscounted", false);
            n.put("HasErrors", false);
            return new InvPrep(existing, n, existing == null);
        }, p -> {
            InvPrep ip = (InvPrep) p;
            String id = ip.existing == null ? newId() : ip.existing.id;
            ObjectNode n = ip.n;
            n.put("InvoiceID", id);
            if (!n.has("InvoiceNumber") && "ACCREC".equals(J.text(n, "Type"))) n.put("InvoiceNumber", String.format("INV-%04d", ++t.invoiceNo));
            if (!n.has("Reference")) n.put("Reference", "");
            Rec rec = put(t, t.invoices, id, n);
            recalcInvoice(t, rec);
            events.emit(t, "INVOICE", ip.create ? "CREATE" : "UPDATE", "Invoices", id, null);
            return invoiceOut(t, rec, false);
        });
    }

    /** AmountPaid, AmountCredited, AmountDue and PAID status follow payments and allocations. */
    void recalcInvoice(Tenant t, Rec inv) {
        String status = J.text(inv.n, "Status");
        BigDecimal paid = BigDecimal.ZERO;
        String lastDate = null;
        for (Rec p : t.paymentsOf(inv.id)) {
            if ("AUTHORISED".equals(J.text(p.n, "Status"))) {
                paid = paid.add(p.n.get("Amount").decimalValue());
                lastDate = later(lastDate, J.text(p.n, "Date"));
            }
        }
        BigDecimal credited = BigDecimal.ZERO;
        for (Collection<Rec> src : List.of(t.creditNotes.values(), t.prepayments.values(), t.overpayments.values())) {
            for (Rec s : src) for (JsonNode a : s.n.withArray("Allocations")) {
                if (inv.id.equals(J.text(a.get("Invoice"), "InvoiceID")) && !a.path("IsDeleted").asBoolean(false)) {
                    credited = credited.add(a.get("Amount").decimalValue());
                    lastDate = later(lastDate, J.text(a, "Date"));
                }
            }
        }
        BigDecimal total = inv.n.get("Total").decimalValue();
        inv.n.put("AmountPaid", J.money(paid));
        inv.n.put("AmountCredited", J.money(credited));
        if ("VOIDED".equals(status) || "DELETED".equals(status)) { inv.n.put("AmountDue", ZERO); return; }
        BigDecimal due = J.money(total.subtract(paid).subtract(credited));
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
        return J.parseMs(b).isAfter(J.parseMs(a)) ? b : a;
    }

    private Resp onlineInvoice(Tenant t, Rec inv) {
        if (!"ACCREC".equals(J.text(inv.n, "Type")) || "DRAFT".equals(J.text(inv.n, "Status")))
            throw XeroError.validation(J.obj(), "Online invoices are only available for approved sales invoices.");
        ObjectNode b = envelope();
        b.putArray("OnlineInvoices").addObject().put("OnlineInvoiceUrl", "https://in.xero.com/" + inv.id.replace("-", "") + "?tenant=" + t.id);
        return Resp.json(200, b);
    }

    // ---- payments ------------------------------------------------------------------------------

    private Resp createPayments(Tenant t, Req r, List<JsonNode> els) {
        return batch(r, "Payments", els, (el, errs, earlier) -> {
            JsonNode invRef = el.get("Invoice");
            String invId = J.text(invRef, "InvoiceID");
            Rec inv = null;
            if (invId != null) inv = t.invoices.get(invId.toLowerCase(Locale.ROOT));
            else if (J.text(invRef, "InvoiceNumber") != null)
                for (Rec i : t.invoices.values()) if (J.text(invRef, "InvoiceNumber").equals(J.text(i.n, "InvoiceNumber"))) inv = i;
            if (inv == null) { errs.add("Invoice could not be found"); return null; }
            ObjectNode acc = t.accountByCodeOrId(el.get("Account"));
            if (acc == null) errs.add("Account could not be found");
            else if (!acc.get("EnablePaymentsToAccount").asBoolean()) errs.add("Payments can only be made to bank accounts or accounts with payments enabled.");
            BigDecimal amount = J.dec(el, "Amount", null);
            if (amount == null || amount.signum() <= 0) errs.add("Payment amount must be greater than zero.");
            String st = J.text(inv.n, "Status");
            if (!"AUTHORISED".equals(st)) errs.add("Payment can only be made against Authorised documents.");
            else if (amount != null) {
                BigDecimal pending = BigDecimal.ZERO;
                for (Object o : earlier) if (o instanceof ObjectNode p && inv.id.equals(J.text(p.get("Invoice"), "InvoiceID"))) pending = pending.add(p.get("Amount").decimalValue());
                if (J.money(amount).compareTo(inv.n.get("AmountDue").decimalValue().subtract(pending)) > 0)
                    errs.add("Payment amount exceeds the amount outstanding on this document");
            }
            if (!errs.isEmpty()) return null;
            LocalDate date = el.has("Date") ? J.parseDate(J.text(el, "Date")) : LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
            ObjectNode n = J.obj();
            n.put("Date", J.msDate(J.dateInstant(date)));
            n.put("BankAmount", J.money(amount));
            n.put("Amount", J.money(amount));
            n.put("Reference", J.text(el, "Reference") == null ? "" : J.text(el, "Reference"));
            n.put("CurrencyRate", new BigDecimal("1.000000"));
            n.put("PaymentType", "ACCREC".equals(J.text(inv.n, "Type")) ? "ACCRECPAYMENT" : "ACCPAYPAYMENT");
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
        }, p -> {
            ObjectNode n = (ObjectNode) p;
            String id = newId();
            n.put("PaymentID", id);
            Rec rec = put(t, t.payments, id, n);
            Rec inv = t.invoices.get(J.text(n.get("Invoice"), "InvoiceID"));
            t.paymentsByInvoice.computeIfAbsent(inv.id, k -> new ArrayList<>()).add(rec);
            recalcInvoice(t, inv);
            touch(t, inv);
            events.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
            return rec.n.deepCopy();
        });
    }

    private Resp updatePayment(Tenant t, Rec p, Req r) {
        List<JsonNode> els = arrayOf(r, "Payments");
        String status = J.text(els.get(0), "Status");
        if (!"DELETED".equals(status)) throw XeroError.validation(els.get(0), "Payments can only be deleted by setting their Status to DELETED.");
        if ("DELETED".equals(J.text(p.n, "Status"))) throw XeroError.validation(els.get(0), "This payment has already been deleted.");
        p.n.put("Status", "DELETED");
        touch(t, p);
        Rec inv = t.invoices.get(J.text(p.n.get("Invoice"), "InvoiceID"));
        if (inv != null) {
            recalcInvoice(t, inv);
            touch(t, inv);
            events.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
        }
        ObjectNode b = envelope();
        b.putArray("Payments").add(p.n.deepCopy());
        return Resp.json(200, b);
    }

    // ---- credit notes --------------------------------------------------------------------------

    private Predicate<Rec> creditFilter(Req r) { return rec -> true; }

    ObjectNode creditOut(Tenant t, Rec rec, boolean summary) {
        ObjectNode n = rec.n.deepCopy();
        Rec c = t.contacts.get(J.text(n.get("Contact"), "ContactID"));
        if (c != null) n.set("Contact", contactRef(c));
        if (summary) n.remove(List.of("LineItems", "Allocations"));
        return n;
    }

    static ObjectNode cnData(Rec cn) {
        ObjectNode d = J.obj();
        d.put("Type", J.text(cn.n, "Type"));
        d.put("Status", J.text(cn.n, "Status"));
        return d;
    }

    private record CnPrep(Rec existing, ObjectNode n, boolean create) {}

    private Resp saveCreditNotes(Tenant t, Req r, List<JsonNode> els) {
        return batch(r, "CreditNotes", els, (el, errs, earlier) -> {
            String id = J.text(el, "CreditNoteID");
            Rec existing = null;
            if (id != null) {
                existing = t.creditNotes.get(id.toLowerCase(Locale.ROOT));
                if (existing == null) throw XeroError.notFound();
            }
            ObjectNode n = existing == null ? J.obj() : existing.n.deepCopy();
            String oldStatus = existing == null ? null : J.text(existing.n, "Status");
            String newStatus = J.text(el, "Status");
            if (existing != null && n.withArray("Allocations").size() > 0 && !"VOIDED".equals(newStatus) && el.has("LineItems")) {
                errs.add("This document cannot be edited as it has a payment or credit note allocated to it.");
                return null;
            }
            if (existing != null && ("VOIDED".equals(newStatus) || "DELETED".equals(newStatus))) {
                boolean allocated = false;
                for (JsonNode a : n.withArray("Allocations")) if (!a.path("IsDeleted").asBoolean(false)) allocated = true;
                if (allocated) { errs.add("This document cannot be voided as it has been allocated."); return null; }
                n.put("Status", newStatus);
                n.put("RemainingCredit", ZERO);
                return new CnPrep(existing, n, false);
            }
            String type = J.text(el, "Type");
            if (type != null) n.put("Type", type);
            type = J.text(n, "Type");
            if (type == null) errs.add("Credit Note Type must be specified");
            else if (!Set.of("ACCRECCREDIT", "ACCPAYCREDIT").contains(type)) errs.add("Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT");
            if (el.has("Contact") || existing == null) {
                Rec c = resolveContact(t, el.get("Contact"), errs, false);
                if (c != null) n.set("Contact", contactRef(c));
            }
            if (el.has("Reference")) n.set("Reference", el.get("Reference"));
            LocalDate date = el.has("Date") ? J.parseDate(J.text(el, "Date")) : existing == null ? LocalDate.ofInstant(clock.now(), ZoneOffset.UTC) : null;
            if (date != null) { n.put("Date", J.msDate(J.dateInstant(date))); n.put("DateString", J.dateString(date)); }
            if (el.has("CreditNoteNumber")) n.set("CreditNoteNumber", el.get("CreditNoteNumber"));
            String lat = lineAmountTypes(el.has("LineAmountTypes") ? J.text(el, "LineAmountTypes") : J.text(n, "LineAmountTypes"));
            n.put("LineAmountTypes", lat);
            String status = newStatus != null ? newStatus : oldStatus != null ? oldStatus : "DRAFT";
            if (!Set.of("DRAFT", "SUBMITTED", "AUTHORISED").contains(status)) { errs.add("Credit Note Status must be DRAFT, SUBMITTED or AUTHORISED."); status = "DRAFT"; }
            n.put("Status", status);
            Totals tot = totals(t, el.has("LineItems") ? el.get("LineItems") : n.get("LineItems"), lat, errs, !status.equals("DRAFT"));
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", new BigDecimal("1.000000"));
            n.put("HasAttachments", false);
            n.put("HasErrors", false);
            if (!n.has("Allocations")) n.putArray("Allocations");
            if (!n.has("Payments")) n.putArray("Payments");
            return new CnPrep(existing, n, existing == null);
        }, p -> {
            CnPrep cp = (CnPrep) p;
            String id = cp.existing == null ? newId() : cp.existing.id;
            cp.n.put("CreditNoteID", id);
            if (!cp.n.has("CreditNoteNumber") && "ACCRECCREDIT".equals(J.text(cp.n, "Type"))) cp.n.put("CreditNoteNumber", String.format("CN-%04d", ++t.creditNoteNo));
            Rec rec = put(t, t.creditNotes, id, cp.n);
            recalcCredit(rec);
            events.emit(t, "CREDITNOTE", cp.create ? "CREATE" : "UPDATE", "CreditNotes", id, cnData(rec));
            return creditOut(t, rec, false);
        });
    }

    /** RemainingCredit and PAID status of a credit note, prepayment or overpayment follow its allocations. */
    static void recalcCredit(Rec s) {
        String status = J.text(s.n, "Status");
        BigDecimal allocated = BigDecimal.ZERO;
        for (JsonNode a : s.n.withArray("Allocations")) if (!a.path("IsDeleted").asBoolean(false)) allocated = allocated.add(a.get("Amount").decimalValue());
        if ("VOIDED".equals(status) || "DELETED".equals(status) || "DRAFT".equals(status) || "SUBMITTED".equals(status)) {
            s.n.put("RemainingCredit", "DRAFT".equals(status) || "SUBMITTED".equals(status) ? s.n.get("Total").decimalValue() : ZERO);
            return;
        }
        BigDecimal remaining = J.money(s.n.get("Total").decimalValue().subtract(allocated));
        s.n.put("RemainingCredit", remaining);
        s.n.put("AppliedAmount", J.money(allocated));
        s.n.put("Status", remaining.signum() == 0 ? "PAID" : "AUTHORISED");
    }

    // ---- allocations ---------------------------------------------------------------------------

    private Resp allocate(Tenant t, String kind, Rec src, Req r) {
        List<JsonNode> els = arrayOf(r, "Allocations");
        String st = J.text(src.n, "Status");
        ObjectNode b = envelope();
        ArrayNode out = b.putArray("Allocations");
        BigDecimal remaining = src.n.get("RemainingCredit").decimalValue();
        List<ObjectNode> made = new ArrayList<>();
        for (JsonNode el : els) {
            if (!"AUTHORISED".equals(st)) throw XeroError.validation(el, "Allocations can only be made against authorised documents.");
            String invId = J.text(el.get("Invoice"), "InvoiceID");
            Rec inv = invId == null ? null : t.invoices.get(invId.toLowerCase(Locale.ROOT));
            if (inv == null) throw XeroError.validation(el, "Invoice could not be found");
            if (!"AUTHORISED".equals(J.text(inv.n, "Status"))) throw XeroError.validation(el, "Allocations can only be made against authorised documents.");
            String srcContact = J.text(src.n.get("Contact"), "ContactID");
            if (srcContact != null && !srcContact.equals(J.text(inv.n.get("Contact"), "ContactID")))
                throw XeroError.validation(el, "The contact on the invoice must be the same as the contact on the " + kind.toLowerCase(Locale.ROOT) + ".");
            BigDecimal amount = J.dec(el, "Amount", null);
            if (amount == null || amount.signum() <= 0) throw XeroError.validation(el, "Allocation amount must be greater than zero.");
            amount = J.money(amount);
            if (amount.compareTo(remaining) > 0) throw XeroError.validation(el, "The amount being allocated exceeds the remaining credit on the " + kind.toLowerCase(Locale.ROOT) + ".");
            if (amount.compareTo(inv.n.get("AmountDue").decimalValue()) > 0) throw XeroError.validation(el, "The amount being allocated exceeds the amount due on the invoice.");
            remaining = remaining.subtract(amount);
            LocalDate date = el.has("Date") ? J.parseDate(J.text(el, "Date")) : LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
            ObjectNode a = J.obj();
            a.put("AllocationID", newId());
            a.put("Amount", amount);
            a.put("Date", J.msDate(J.dateInstant(date)));
            ObjectNode i = a.putObject("Invoice");
            i.put("InvoiceID", inv.id);
            i.set("InvoiceNumber", inv.n.get("InvoiceNumber"));
            a.put("IsDeleted", false);
            src.n.withArray("Allocations").add(a);
            recalcInvoice(t, inv);
            touch(t, inv);
            events.emit(t, "INVOICE", "UPDATE", "Invoices", inv.id, null);
            made.add(a);
        }
        recalcCredit(src);
        touch(t, src);
        if (kind.equals("CreditNote")) events.emit(t, "CREDITNOTE", "UPDATE", "CreditNotes", src.id, cnData(src));
        for (ObjectNode a : made) {
            ObjectNode o = a.deepCopy();
            ObjectNode s = o.putObject(kind);
            s.put(kind + "ID", src.id);
            out.add(o);
        }
        return Resp.json(200, b);
    }

    // ---- bank transactions, prepayments, overpayments -----------------------------------------

    ObjectNode prepayOut(Tenant t, Rec rec, boolean summary) {
        ObjectNode n = rec.n.deepCopy();
        Rec c = t.contacts.get(J.text(n.get("Contact"), "ContactID"));
        if (c != null) n.set("Contact", contactRef(c));
        if (summary) n.remove(List.of("LineItems", "Allocations"));
        return n;
    }

    private Resp createBankTransactions(Tenant t, Req r, List<JsonNode> els) {
        return batch(r, "BankTransactions", els, (el, errs, earlier) -> {
            String type = J.text(el, "Type");
            if (type == null || !Set.of("RECEIVE", "SPEND", "RECEIVE-PREPAYMENT", "RECEIVE-OVERPAYMENT", "SPEND-PREPAYMENT", "SPEND-OVERPAYMENT").contains(type))
                errs.add("Bank Transaction Type must be specified");
            Rec c = resolveContact(t, el.get("Contact"), errs, true);
            ObjectNode acc = t.accountByCodeOrId(el.get("BankAccount"));
            if (acc == null || !"BANK".equals(J.text(acc, "Type"))) errs.add("A bank account must be specified");
            String lat = lineAmountTypes(J.text(el, "LineAmountTypes"));
            Totals tot = totals(t, el.get("LineItems"), lat, errs, true);
            if (el.get("LineItems") == null || el.get("LineItems").size() == 0) errs.add("At least one line item must be specified");
            if (!errs.isEmpty()) return null;
            ObjectNode n = J.obj();
            n.put("Type", type);
            n.set("Contact", contactRef(c));
            ObjectNode ba = n.putObject("BankAccount");
            ba.set("AccountID", acc.get("AccountID"));
            ba.set("Code", acc.get("Code"));
            ba.set("Name", acc.get("Name"));
            n.put("IsReconciled", el.path("IsReconciled").asBoolean(false));
            LocalDate date = el.has("Date") ? J.parseDate(J.text(el, "Date")) : LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
            n.put("Date", J.msDate(J.dateInstant(date)));
            n.put("DateString", J.dateString(date));
            n.put("Reference", J.text(el, "Reference") == null ? "" : J.text(el, "Reference"));
            n.put("CurrencyCode", "AUD");
            n.put("CurrencyRate", new BigDecimal("1.000000"));
            n.put("Status", "AUTHORISED");
            n.put("LineAmountTypes", lat);
            n.set("LineItems", tot.lines());
            n.put("SubTotal", tot.sub());
            n.put("TotalTax", tot.tax());
            n.put("Total", tot.total());
            n.put("HasAttachments", false);
            return n;
        }, p -> {
            ObjectNode n = (ObjectNode) p;
            String id = newId();
            n.put("BankTransactionID", id);
            String type = J.text(n, "Type");
            if (type.endsWith("PREPAYMENT") || type.endsWith("OVERPAYMENT")) {
                boolean pre = type.endsWith("PREPAYMENT");
                String sid = newId();
                n.put(pre ? "PrepaymentID" : "OverpaymentID", sid);
                ObjectNode s = J.obj();
                s.put(pre ? "PrepaymentID" : "OverpaymentID", sid);
                s.put("Type", type);
                for (String f : List.of("Contact", "Date", "DateString", "Reference", "LineAmountTypes", "LineItems", "SubTotal", "TotalTax", "Total", "CurrencyCode", "CurrencyRate"))
                    if (n.has(f)) s.set(f, n.get(f).deepCopy());
                s.put("Status", "AUTHORISED");
                s.putArray("Allocations");
                s.putArray("Payments");
                s.put("HasAttachments", false);
                Rec srec = put(t, pre ? t.prepayments : t.overpayments, sid, s);
                recalcCredit(srec);
            }
            Rec rec = put(t, t.bankTransactions, id, n);
            return rec.n.deepCopy();
        });
    }

    // ---- state dump ----------------------------------------------------------------------------

    ObjectNode state(Tenant t) {
        ObjectNode s = J.obj();
        s.put("tenantId", t.id);
        s.put("tenantName", t.name);
        ArrayNode c = s.putArray("Contacts");
        t.contacts.values().forEach(r -> c.add(contactOut(t, r, false)));
        ArrayNode i = s.putArray("Invoices");
        t.invoices.values().forEach(r -> i.add(invoiceOut(t, r, false)));
        ArrayNode p = s.putArray("Payments");
        t.payments.values().forEach(r -> p.add(r.n.deepCopy()));
        ArrayNode cn = s.putArray("CreditNotes");
        t.creditNotes.values().forEach(r -> cn.add(creditOut(t, r, false)));
        ArrayNode bt = s.putArray("BankTransactions");
        t.bankTransactions.values().forEach(r -> bt.add(r.n.deepCopy()));
        ArrayNode pp = s.putArray("Prepayments");
        t.prepayments.values().forEach(r -> pp.add(prepayOut(t, r, false)));
        ArrayNode op = s.putArray("Overpayments");
        t.overpayments.values().forEach(r -> op.add(prepayOut(t, r, false)));
        return s;
    }
}
