package org.lrm.xero.adapter.xero;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * How a read of Xero by a list of values ({@code IDs=a,b,…} or a {@code where} of {@code OR}s) is split
 * into calls that Xero answers. Xero's front door answers a query string longer than
 * {@value #MAX_QUERY_LENGTH} characters (as sent, percent-encoded) with a 404 before the API sees it:
 * IIS's default {@code maxQueryString} (XeroAPI/Xero-Net #280; 52 GUIDs pass and 53 fail in
 * XeroAPI/Xero-Java #328, Xero-OpenAPI #534, xero-node #404), and Xero's staff advise fewer than
 * {@value #MAX_VALUES} ids to a search (XeroAPI/Xero-Net #389). A 404 reads as "not there", which the
 * work treats as permanent, so a long list must never be sent: every such read of the Xero ports is
 * split here, and {@link XeroClient} refuses to send a longer query.
 */
final class FilterChunks {

    /** The longest query string Xero's front door takes, as sent. */
    static final int MAX_QUERY_LENGTH = 2_048;
    /** Values to one filter at most, as Xero's staff advise. */
    static final int MAX_VALUES = 50;

    private FilterChunks() {
    }

    /**
     * The distinct values, in order, as chunks whose query strings ({@code queryOf} of the chunk: the whole
     * query as it is sent, with its paging and other parameters) stay within {@link #MAX_QUERY_LENGTH}.
     *
     * @throws IllegalArgumentException when one value alone makes the query too long
     */
    static <V> List<List<V>> of(Collection<V> values, Function<List<V>, String> queryOf) {
        List<List<V>> chunks = new ArrayList<>();
        List<V> chunk = new ArrayList<>();
        for (V value : new LinkedHashSet<>(values)) {
            chunk.add(value);
            if (chunk.size() > MAX_VALUES || !fits(queryOf.apply(chunk))) {
                chunk.remove(chunk.size() - 1);
                if (chunk.isEmpty()) {
                    throw new IllegalArgumentException("one value makes a query over Xero's " + MAX_QUERY_LENGTH
                            + " characters: " + value);
                }
                chunks.add(List.copyOf(chunk));
                chunk = new ArrayList<>(List.of(value));
                if (!fits(queryOf.apply(chunk))) {
                    throw new IllegalArgumentException("one value makes a query over Xero's " + MAX_QUERY_LENGTH
                            + " characters: " + value);
                }
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(List.copyOf(chunk));
        }
        return chunks;
    }

    /** Whether Xero's front door takes this query string ({@code ?} and all, as {@link QueryString} writes it). */
    static boolean fits(String query) {
        return sentLength(query) <= MAX_QUERY_LENGTH;
    }

    /** The query's length as sent: without the {@code ?} that separates it from the path. */
    static int sentLength(String query) {
        return query.startsWith("?") ? query.length() - 1 : query.length();
    }
}
