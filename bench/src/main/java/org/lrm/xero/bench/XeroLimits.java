package org.lrm.xero.bench;

import java.time.Duration;

/**
 * The naive baseline's time under Xero's limits, computed from its call count rather than run:
 * at most 60 calls in a minute and the organisation's day limit in any 24 hours, calls taking no
 * time themselves. (The integration's own times are measured on the sandbox's clock instead.)
 */
final class XeroLimits {

    static final int PER_MINUTE = 60;

    private XeroLimits() {
    }

    static Duration timeFor(long calls, int dayLimit) {
        if (calls <= 0) {
            return Duration.ZERO;
        }
        long fullDays = (calls - 1) / dayLimit;
        long rest = calls - fullDays * dayLimit;
        return Duration.ofDays(fullDays).plusSeconds((long) Math.ceil(rest * 60.0 / PER_MINUTE));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return String.format("%.1f days", s / 86_400.0);
        }
        if (s >= 3_600) {
            return String.format("%.1f h", s / 3_600.0);
        }
        if (s >= 60) {
            return String.format("%.1f min", s / 60.0);
        }
        return s + " s";
    }
}
