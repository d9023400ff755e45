package org.lrm.xero.adapter.xero;

import java.time.Instant;

/**
 * Parameters of {@code GET /Payments}, {@code /CreditNotes}, {@code /Prepayments} and {@code /Overpayments}.
 *
 * @param modifiedSince sent as {@code If-Modified-Since}
 */
public record TransactionQuery(String where, Integer page, Integer pageSize, Instant modifiedSince, String order) {

    public TransactionQuery {
        Paging.checkPage(page, pageSize);
    }

    public static TransactionQuery all() {
        return new TransactionQuery(null, null, null, null, null);
    }

    public TransactionQuery withWhere(String newWhere) {
        return new TransactionQuery(newWhere, page, pageSize, modifiedSince, order);
    }

    public TransactionQuery withPage(int newPage, int newPageSize) {
        return new TransactionQuery(where, newPage, newPageSize, modifiedSince, order);
    }

    public TransactionQuery withModifiedSince(Instant since) {
        return new TransactionQuery(where, page, pageSize, since, order);
    }

    public TransactionQuery withOrder(String newOrder) {
        return new TransactionQuery(where, page, pageSize, modifiedSince, newOrder);
    }

    String queryString() {
        return new QueryString().add("where", where).add("order", order).add("page", page).add("pageSize", pageSize)
                .toString();
    }
}
