package org.lrm.xero.app.xero;

import java.util.List;

/**
 * One page of one of Xero's lists, read in one call.
 *
 * @param more the page was full: the list may go on at the next page
 */
public record XeroPage<T>(List<T> items, boolean more) {

    public XeroPage {
        items = List.copyOf(items);
    }
}
