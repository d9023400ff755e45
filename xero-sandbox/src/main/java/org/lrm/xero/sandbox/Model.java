package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The sandbox's data model: clock, tenants and their records, responses and errors. */
final class Model {
    private Model() {}

    /** A settable clock: real time plus an offset, or a fixed point that the admin surface moves. */
    static final class SandboxClock {
        private Duration offset = Duration.ZERO;
        synchronized Instant now() { return Instant.now().plus(offset); }
        synchronized void advance(long seconds) { offset = offset.plusSeconds(seconds); }
        synchronized void set(Instant at) { offset = Duration.between(Instant.now(), at); }
    }

    /** One stored record of the Accounting API, kept in the API's own JSON shape. */
    static final class Rec {
        final String id;
        ObjectNode n;
        Instant updated;
        final long created;
        Rec(String id, ObjectNode n, Instant updated, long created) { this.id = id; this.n = n; this.updated = updated; this.created = created; }
    }

    /** A Xero organisation with its ledger. All access to the maps is under {@code synchronized (tenant)}. */
    static final class Tenant {
        final String id = UUID.randomUUID().toString();
        final String name;
        volatile int dayLimit;
        final Instant created;
        final Map<String, Rec> contacts = new LinkedHashMap<>();
        final Map<String, Rec> invoices = new LinkedHashMap<>();
        final Map<String, Rec> payments = new LinkedHashMap<>();
        /** Each invoice's payments, in the order they were made: a payment never moves to another invoice. */
        final Map<String, List<Rec>> paymentsByInvoice = new HashMap<>();
        final Map<String, Rec> creditNotes = new LinkedHashMap<>();
        final Map<String, Rec> bankTransactions = new LinkedHashMap<>();
        final Map<String, Rec> prepayments = new LinkedHashMap<>();
        final Map<String, Rec> overpayments = new LinkedHashMap<>();
        final Map<String, ObjectNode> accounts = new LinkedHashMap<>();
        final Map<String, Idem> idempotency = new HashMap<>();
        long seq;
        int invoiceNo, creditNoteNo;
        final Stats stats = new Stats();

        List<Rec> paymentsOf(String invoiceId) {
            return paymentsByInvoice.getOrDefault(invoiceId, List.of());
        }

        Tenant(String name, int dayLimit, Instant created) {
            this.name = name; this.dayLimit = dayLimit; this.created = created;
            account("200", "Sales", "REVENUE", "OUTPUT", false);
            account("260", "Other Revenue", "REVENUE", "OUTPUT", false);
            account("400", "Advertising", "EXPENSE", "INPUT", false);
            account("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", false);
            account("090", "Business Bank Account", "BANK", "BASEXCLUDED", true);
            account("091", "Business Savings Account", "BANK", "BASEXCLUDED", true);
        }

        private void account(String code, String name, String type, String tax, boolean bank) {
            ObjectNode a = J.obj();
            a.put("AccountID", UUID.nameUUIDFromBytes((id + code).getBytes(StandardCharsets.UTF_8)).toString());
            a.put("Code", code);
            a.put("Name", name);
            a.put("Status", "ACTIVE");
            a.put("Type", type);
            a.put("TaxType", tax);
            a.put("Class", bank || type.equals("CURRENT") ? "ASSET" : type.equals("REVENUE") ? "REVENUE" : "EXPENSE");
            a.put("EnablePaymentsToAccount", bank);
            a.put("BankAccountType", bank ? "BANK" : "");
            a.put("CurrencyCode", "AUD");
            accounts.put(code, a);
        }

        ObjectNode accountByCodeOrId(JsonNode ref) {
            if (ref == null || ref.isNull()) return null;
            String code = J.text(ref, "Code");
            if (code != null) return accounts.get(code);
            String aid = J.text(ref, "AccountID");
            if (aid != null) for (ObjectNode a : accounts.values()) if (a.get("AccountID").asText().equalsIgnoreCase(aid)) return a;
            return null;
        }
    }

    record Idem(Instant at, Resp resp) {}

    /** Counters for /sandbox/stats. */
    static final class Stats {
        final Map<String, AtomicLong> appCallsByEndpoint = new ConcurrentHashMap<>();
        final AtomicLong appCalls = new AtomicLong();
        final AtomicLong userCalls = new AtomicLong();
        final Map<String, AtomicLong> rateLimited = new ConcurrentHashMap<>();
        /** 5xx answers and timeouts the fault knobs caused, by kind ("error", "timeout"). */
        final Map<String, AtomicLong> faultsInjected = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxConcurrency = new AtomicInteger();
        final Map<Long, AtomicLong> callsPerMinute = new ConcurrentHashMap<>();
        final AtomicLong webhookEventsQueued = new AtomicLong();
        final AtomicLong webhookEventsDelivered = new AtomicLong();
        final AtomicLong webhookEventsDropped = new AtomicLong();
    }

    /** Rolling-window counters per (app, tenant) and per app. */
    static final class Window {
        final ArrayDeque<Instant> minute = new ArrayDeque<>();
        final ArrayDeque<Instant> day = new ArrayDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();
        void prune(Instant now) {
            while (!minute.isEmpty() && !minute.peekFirst().isAfter(now.minusSeconds(60))) minute.pollFirst();
            while (!day.isEmpty() && !day.peekFirst().isAfter(now.minusSeconds(86400))) day.pollFirst();
        }
    }

    /** An HTTP answer. */
    static final class Resp {
        final int status;
        final String contentType;
        final byte[] body;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Resp(int status, String contentType, byte[] body) { this.status = status; this.contentType = contentType; this.body = body; }
        static Resp json(int status, JsonNode n) { return new Resp(status, "application/json; charset=utf-8", J.write(n).getBytes(StandardCharsets.UTF_8)); }
        static Resp text(int status, String contentType, String s) { return new Resp(status, contentType, s.getBytes(StandardCharsets.UTF_8)); }
        static Resp empty(int status) { return new Resp(status, null, new byte[0]); }
        Resp header(String k, String v) { headers.put(k, v); return this; }
    }

    /** An error answered as Xero answers it. */
    static final class XeroError extends RuntimeException {
        final Resp resp;
        XeroError(Resp resp) { super("HTTP " + resp.status, null, false, false); this.resp = resp; }

        static ObjectNode validationBody(List<? extends JsonNode> elements) {
            ObjectNode b = J.obj();
            b.put("ErrorNumber", 10);
            b.put("Type", "ValidationException");
            b.put("Message", "A validation exception occurred");
            ArrayNode els = b.putArray("Elements");
            for (JsonNode e : elements) els.add(e);
            return b;
        }

        /** 400 ValidationException with the element echoed and its messages. */
        static XeroError validation(JsonNode element, String... messages) {
            ObjectNode el = element == null ? J.obj() : ((ObjectNode) element.deepCopy());
            ArrayNode ve = el.putArray("ValidationErrors");
            for (String m : messages) ve.addObject().put("Message", m);
            return new XeroError(Resp.json(400, validationBody(List.of(el))));
        }

        static XeroError notFound() {
            // Xero answers an unknown resource id with 404 and a plain text body.
            return new XeroError(Resp.text(404, "text/plain; charset=utf-8", "The resource you're looking for cannot be found"));
        }

        /** Xero's problem-details style auth errors (401/403). */
        static XeroError problem(int status, String title, String detail) {
            ObjectNode b = J.obj();
            b.putNull("Type");
            b.put("Title", title);
            b.put("Status", status);
            b.put("Detail", detail);
            b.put("Instance", UUID.randomUUID().toString());
            b.putObject("Extensions");
            return new XeroError(Resp.json(status, b));
        }

        static XeroError badRequest(String message) {
            ObjectNode b = J.obj();
            b.put("ErrorNumber", 14);
            b.put("Type", "PostDataInvalidException");
            b.put("Message", message);
            return new XeroError(Resp.json(400, b));
        }
    }

    static List<String> splitCsv(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String p : s.split(",")) { p = p.trim(); if (!p.isEmpty()) out.add(p); }
        return out;
    }
}
