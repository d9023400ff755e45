package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** GET of a resource's list: the parameters every list shares, and how they filter, sort and page. */
final class Listing {

    /** How a resource shows one record in a view. */
    interface Shape { ObjectNode of(Tenant t, Rec rec, View view); }

    /**
     * How much of a record an answer shows. Xero details a record (its line items, allocations, MergedToContactID)
     * only on a single fetch, a write's answer or a page of a list; a list without {@code page} gets less.
     */
    enum View {
        /** A single fetch, a write's answer, a page of a list. */
        FULL,
        /** A list without {@code page}. */
        UNPAGED,
        /** {@code summaryOnly=true} on a page. */
        SUMMARY,
        /** {@code summaryOnly=true} without {@code page}. */
        SUMMARY_UNPAGED;

        static View of(boolean summaryOnly, boolean paged) {
            return summaryOnly ? (paged ? SUMMARY : SUMMARY_UNPAGED) : (paged ? FULL : UNPAGED);
        }

        /** {@code summaryOnly=true}: the resource's lightweight fields only. */
        boolean summary() { return this == SUMMARY || this == SUMMARY_UNPAGED; }

        /** Paged or single: what Xero shows only then (line items, allocations, MergedToContactID) is shown. */
        boolean detailed() { return this == FULL || this == SUMMARY; }
    }

    /**
     * The parameters every list reads, parsed in this order (so the first malformed one is the one reported):
     * If-Modified-Since, IDs, summaryOnly, where, order, page and pageSize.
     *
     * @param page null: no paging (everything, and no {@code pagination} in the answer)
     */
    record Query(Instant modifiedSince, List<String> ids, boolean summaryOnly, Predicate<ObjectNode> where,
                 Comparator<ObjectNode> order, Integer page, int pageSize) {
        static final int DEFAULT_PAGE_SIZE = 100, MAX_PAGE_SIZE = 1000;

        static Query of(Request r) {
            Instant since = XeroDates.parseHttpDate(r.header("if-modified-since"));
            List<String> ids = Request.splitCsv(r.queryParam("IDs"));
            boolean summary = r.flag("summaryOnly", false);
            Predicate<ObjectNode> where = Where.parse(r.queryParam("where"));
            Comparator<ObjectNode> order = Where.order(r.queryParam("order"));
            String pageParam = r.queryParam("page");
            Integer page = pageParam == null ? null : Math.max(1, parseInt(pageParam, 1));
            String ps = r.queryParam("pageSize");
            int pageSize = ps == null ? DEFAULT_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, parseInt(ps, DEFAULT_PAGE_SIZE)));
            return new Query(since, ids, summary, where, order, page, pageSize);
        }

        private static int parseInt(String s, int d) { try { return Integer.parseInt(s.trim()); } catch (Exception e) { return d; } }
    }

    private final Envelope envelope;

    Listing(Envelope envelope) { this.envelope = envelope; }

    /**
     * @param key    the resource's array in the answer, e.g. {@code Invoices}
     * @param filter the resource's own parameters (e.g. {@code Statuses}), or null
     */
    Resp list(Tenant t, String key, Collection<Rec> recs, Request r, Shape shape, Predicate<Rec> filter) {
        Query q = Query.of(r);
        View view = View.of(q.summaryOnly(), q.page() != null);
        List<ObjectNode> items = new ArrayList<>();
        for (Rec rec : recs) {
            if (q.modifiedSince() != null && rec.updated.isBefore(q.modifiedSince())) continue;
            if (!q.ids().isEmpty() && q.ids().stream().noneMatch(i -> i.equalsIgnoreCase(rec.id))) continue;
            if (filter != null && !filter.test(rec)) continue;
            ObjectNode full = shape.of(t, rec, View.FULL);
            if (!q.where().test(full)) continue; // Xero filters on the record, whatever the answer shows of it
            items.add(view == View.FULL ? full : shape.of(t, rec, view));
        }
        if (q.order() != null) items.sort(q.order());
        ObjectNode b = envelope.create();
        if (q.page() != null) {
            int count = items.size();
            int from = Math.min(count, (q.page() - 1) * q.pageSize());
            int to = Math.min(count, from + q.pageSize());
            ObjectNode p = b.putObject("pagination");
            p.put("page", q.page());
            p.put("pageSize", q.pageSize());
            p.put("pageCount", (count + q.pageSize() - 1) / q.pageSize());
            p.put("itemCount", count);
            items = items.subList(from, to);
        }
        ArrayNode a = b.putArray(key);
        items.forEach(a::add);
        return Resp.json(200, b);
    }
}
