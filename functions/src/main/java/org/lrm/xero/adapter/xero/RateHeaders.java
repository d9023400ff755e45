package org.lrm.xero.adapter.xero;

import java.net.http.HttpHeaders;
import org.lrm.xero.domain.rate.Remaining;

/**
 * Xero's remaining-call counters, read from every response; each null when Xero did not send it.
 */
public record RateHeaders(Integer minuteRemaining, Integer dayRemaining, Integer appMinuteRemaining) {

    public static final RateHeaders NONE = new RateHeaders(null, null, null);

    /** The same counters as the rate budget keeps them. */
    public Remaining remaining() {
        return new Remaining(minuteRemaining, dayRemaining, appMinuteRemaining);
    }

    static RateHeaders from(HttpHeaders headers) {
        return new RateHeaders(intHeader(headers, "X-MinLimit-Remaining"), intHeader(headers, "X-DayLimit-Remaining"),
                intHeader(headers, "X-AppMinLimit-Remaining"));
    }

    private static Integer intHeader(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(v -> {
            try {
                return Integer.valueOf(v.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
