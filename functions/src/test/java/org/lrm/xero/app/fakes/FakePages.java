package org.lrm.xero.app.fakes;

import java.util.List;
import org.lrm.xero.app.xero.XeroPage;

/** Paging as Xero pages: pages from 1, a full page says there may be more. */
final class FakePages {

    private FakePages() {
    }

    static <T> XeroPage<T> page(List<T> all, int page, int pageSize) {
        int from = Math.min(all.size(), (page - 1) * pageSize);
        List<T> items = all.subList(from, Math.min(all.size(), from + pageSize));
        return new XeroPage<>(items, items.size() == pageSize);
    }

    /** How many calls a walk through every page takes (the last page is short, maybe empty). */
    static int calls(int size, int pageSize) {
        return size / pageSize + 1;
    }
}
