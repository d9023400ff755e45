package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How the resources read and write a tenant's records: lookups by id (404 if unknown), new ids, UpdatedDateUTC
 * stamps that never repeat, and the webhook event a change raises. Callers hold the tenant's lock.
 */
final class Ledger {
    private final SandboxClock clock;
    private final Webhooks webhooks;
    private Instant lastStamp = Instant.EPOCH;

    Ledger(SandboxClock clock, Webhooks webhooks) { this.clock = clock; this.webhooks = webhooks; }

    static String newId() { return UUID.randomUUID().toString(); }

    /** Today on the sandbox clock (UTC): the default Date of a new document. */
    LocalDate today() { return LocalDate.ofInstant(clock.now(), ZoneOffset.UTC); }

    /** Stores (or replaces) a record, stamping its UpdatedDateUTC. */
    Rec put(Tenant t, Map<String, Rec> m, String id, ObjectNode n) {
        Instant now = stamp();
        n.put("UpdatedDateUTC", XeroDates.msDate(now));
        Rec existing = m.get(id);
        if (existing != null) { existing.n = n; existing.updated = now; return existing; }
        Rec rec = new Rec(id, n, now, ++t.seq);
        m.put(id, rec);
        return rec;
    }

    /** Marks a record changed (its amounts, status or contact moved) without replacing it. */
    void touch(Rec rec) {
        Instant now = stamp();
        rec.updated = now;
        rec.n.put("UpdatedDateUTC", XeroDates.msDate(now));
    }

    /** Strictly increasing timestamps (across tenants) so that If-Modified-Since never loses a change. */
    private synchronized Instant stamp() {
        Instant now = clock.now().truncatedTo(ChronoUnit.MILLIS);
        if (!now.isAfter(lastStamp)) now = lastStamp.plusMillis(1);
        lastStamp = now;
        return now;
    }

    /** Raises a webhook event ({@code data} as CREDITNOTE events carry it, else null). */
    void emit(Tenant t, String category, String eventType, String resource, String resourceId, ObjectNode data) {
        webhooks.emit(t, category, eventType, resource, resourceId, data);
    }

    static Rec find(Map<String, Rec> m, String id) {
        Rec r = m.get(id.toLowerCase(Locale.ROOT));
        if (r == null) throw XeroError.notFound();
        return r;
    }

    /** By id, or (as Xero allows on GET /Contacts/{ContactNumber} and /Invoices/{InvoiceNumber}) by number. */
    static Rec findBy(Map<String, Rec> m, String id, String numberField) {
        Rec r = m.get(id.toLowerCase(Locale.ROOT));
        if (r != null) return r;
        for (Rec x : m.values()) if (id.equals(Json.text(x.n, numberField))) return x;
        throw XeroError.notFound();
    }
}
