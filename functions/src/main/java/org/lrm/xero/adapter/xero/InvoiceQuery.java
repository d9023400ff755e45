package org.lrm.xero.adapter.xero;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Parameters of {@code GET /Invoices}. Build with {@link #all()} and the {@code with...} methods.
 *
 * @param modifiedSince sent as {@code If-Modified-Since}
 */
public record InvoiceQuery(List<String> ids, List<String> contactIds, List<String> statuses, String where, Integer page,
        Integer pageSize, Instant modifiedSince, String order) {

    public InvoiceQuery {
        ids = ids == null ? List.of() : List.copyOf(ids);
        contactIds = contactIds == null ? List.of() : List.copyOf(contactIds);
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
        Paging.checkPage(page, pageSize);
    }

    public static InvoiceQuery all() {
        return new InvoiceQuery(List.of(), List.of(), List.of(), null, null, null, null, null);
    }

    public static InvoiceQuery byIds(Collection<String> ids) {
        return all().withIds(ids);
    }

    public InvoiceQuery withIds(Collection<String> newIds) {
        return new InvoiceQuery(List.copyOf(newIds), contactIds, statuses, where, page, pageSize, modifiedSince, order);
    }

    public InvoiceQuery withContactIds(Collection<String> newContactIds) {
        return new InvoiceQuery(ids, List.copyOf(newContactIds), statuses, where, page, pageSize, modifiedSince, order);
    }

    public InvoiceQuery withStatuses(Collection<String> newStatuses) {
        return new InvoiceQuery(ids, contactIds, List.copyOf(newStatuses), where, page, pageSize, modifiedSince, order);
    }

    public InvoiceQuery withWhere(String newWhere) {
        return new InvoiceQuery(ids, contactIds, statuses, newWhere, page, pageSize, modifiedSince, order);
    }

    public InvoiceQuery withPage(int newPage, int newPageSize) {
        return new InvoiceQuery(ids, contactIds, statuses, where, newPage, newPageSize, modifiedSince, order);
    }

    public InvoiceQuery withModifiedSince(Instant since) {
        return new InvoiceQuery(ids, contactIds, statuses, where, page, pageSize, since, order);
    }

    public InvoiceQuery withOrder(String newOrder) {
        return new InvoiceQuery(ids, contactIds, statuses, where, page, pageSize, modifiedSince, newOrder);
    }

    String queryString() {
        return new QueryString().addList("IDs", ids).addList("ContactIDs", contactIds).addList("Statuses", statuses)
                .add("where", where).add("order", order).add("page", page).add("pageSize", pageSize).toString();
    }
}
