package org.lrm.xero.domain.rate;

/**
 * What Xero says is left after a call ({@code X-MinLimit-Remaining}, {@code X-DayLimit-Remaining},
 * {@code X-AppMinLimit-Remaining}); each null when Xero did not say.
 */
public record Remaining(Integer minute, Integer day, Integer appMinute) {

    public static final Remaining UNKNOWN = new Remaining(null, null, null);
}
