package org.lrm.xero.adapter.xero;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Parameters of {@code GET /Contacts}. Build with {@link #all()} and the {@code with...} methods.
 *
 * @param modifiedSince sent as {@code If-Modified-Since}
 */
public record ContactQuery(List<String> ids, String where, boolean includeArchived, Integer page, Integer pageSize,
        boolean summaryOnly, Instant modifiedSince, String order) {

    public ContactQuery {
        ids = ids == null ? List.of() : List.copyOf(ids);
        Paging.checkPage(page, pageSize);
    }

    public static ContactQuery all() {
        return new ContactQuery(List.of(), null, false, null, null, false, null, null);
    }

    public static ContactQuery byIds(Collection<String> ids) {
        return all().withIds(ids);
    }

    public static ContactQuery byContactNumbers(Collection<String> contactNumbers) {
        return all().withWhere(Where.contactNumberIn(contactNumbers));
    }

    public ContactQuery withIds(Collection<String> newIds) {
        return new ContactQuery(List.copyOf(newIds), where, includeArchived, page, pageSize, summaryOnly, modifiedSince, order);
    }

    public ContactQuery withWhere(String newWhere) {
        return new ContactQuery(ids, newWhere, includeArchived, page, pageSize, summaryOnly, modifiedSince, order);
    }

    public ContactQuery withIncludeArchived(boolean flag) {
        return new ContactQuery(ids, where, flag, page, pageSize, summaryOnly, modifiedSince, order);
    }

    public ContactQuery withPage(int newPage, int newPageSize) {
        return new ContactQuery(ids, where, includeArchived, newPage, newPageSize, summaryOnly, modifiedSince, order);
    }

    public ContactQuery withSummaryOnly(boolean flag) {
        return new ContactQuery(ids, where, includeArchived, page, pageSize, flag, modifiedSince, order);
    }

    public ContactQuery withModifiedSince(Instant since) {
        return new ContactQuery(ids, where, includeArchived, page, pageSize, summaryOnly, since, order);
    }

    public ContactQuery withOrder(String newOrder) {
        return new ContactQuery(ids, where, includeArchived, page, pageSize, summaryOnly, modifiedSince, newOrder);
    }

    String queryString() {
        return new QueryString().addList("IDs", ids).add("where", where).addTrue("includeArchived", includeArchived)
                .add("order", order).add("page", page).add("pageSize", pageSize).addTrue("summaryOnly", summaryOnly)
                .toString();
    }
}
