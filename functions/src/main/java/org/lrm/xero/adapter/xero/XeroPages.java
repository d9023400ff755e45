package org.lrm.xero.adapter.xero;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lrm.xero.app.xero.XeroPage;

/**
 * Walks Xero's pages {@code page=1, 2, ...} one call at a time: a page with fewer than {@code pageSize}
 * elements is the last. Each {@link #next()} is one API call, so callers that spend a budget per call
 * decide before each one whether to go on, and can stop and later resume at {@link #nextPage()}.
 * A failed call does not advance: calling {@link #next()} again retries the same page. Every
 * paged read of the Xero ports walks through here.
 */
public final class XeroPages<T> {

    /** Fetches one page, e.g. {@code (p, size) -> client.getInvoices(call, query.withPage(p, size))}. */
    @FunctionalInterface
    public interface PageFetcher<T> {
        XeroResult<List<T>> fetch(int page, int pageSize);
    }

    private final int pageSize;
    private final PageFetcher<T> fetcher;
    private int nextPage;
    private boolean done;

    private XeroPages(int startPage, int pageSize, PageFetcher<T> fetcher) {
        Paging.checkPage(startPage, pageSize);
        this.pageSize = pageSize;
        this.fetcher = Objects.requireNonNull(fetcher);
        this.nextPage = startPage;
    }

    public static <T> XeroPages<T> of(int pageSize, PageFetcher<T> fetcher) {
        return new XeroPages<>(1, pageSize, fetcher);
    }

    /** Resumes a walk at {@code page} (e.g. one saved from {@link #nextPage()}). */
    public static <T> XeroPages<T> startingAt(int page, int pageSize, PageFetcher<T> fetcher) {
        return new XeroPages<>(page, pageSize, fetcher);
    }

    public boolean hasNext() {
        return !done;
    }

    /** The page the next {@link #next()} fetches. */
    public int nextPage() {
        return nextPage;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Fetches the next page; on success moves on, or ends the walk when the page was short. */
    public XeroResult<List<T>> next() {
        if (done) {
            throw new IllegalStateException("no more pages");
        }
        XeroResult<List<T>> result = fetcher.fetch(nextPage, pageSize);
        if (result instanceof XeroResult.Ok<List<T>> ok) {
            if (ok.value().size() < pageSize) {
                done = true;
            } else {
                nextPage++;
            }
        }
        return result;
    }

    /** Fetches the next page, saying whether the walk goes on after it. */
    public XeroResult<XeroPage<T>> readPage() {
        XeroResult<List<T>> result = next();
        return result.map(items -> new XeroPage<>(items, hasNext()));
    }

    /** Fetches every page left: all elements, or the first failure as it came. */
    public XeroResult<List<T>> all() {
        return collect(Integer.MAX_VALUE);
    }

    /**
     * Fetches up to {@code maxPages} pages and returns all elements, or the first failure as it came.
     * When the limit stops the walk, {@link #hasNext()} stays true.
     */
    public XeroResult<List<T>> collect(int maxPages) {
        List<T> all = new ArrayList<>();
        RateHeaders last = RateHeaders.NONE;
        for (int i = 0; i < maxPages && hasNext(); i++) {
            XeroResult<List<T>> r = next();
            if (!(r instanceof XeroResult.Ok<List<T>> ok)) {
                return r;
            }
            all.addAll(ok.value());
            last = ok.rate();
        }
        return new XeroResult.Ok<>(List.copyOf(all), last);
    }
}
