package org.lrm.xero.adapter.xero;

/** Xero's paging bounds. */
final class Paging {

    /** Xero's largest {@code pageSize}. */
    static final int MAX_PAGE_SIZE = 1000;

    private Paging() {
    }

    static void checkPage(Integer page, Integer pageSize) {
        if (page != null && page < 1) {
            throw new IllegalArgumentException("page starts at 1: " + page);
        }
        if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ": " + pageSize);
        }
        if (pageSize != null && page == null) {
            throw new IllegalArgumentException("pageSize needs page");
        }
    }
}
