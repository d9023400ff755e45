package org.lrm.xero.domain.rate;

import java.util.Locale;

/** Which of Xero's limits a call has to wait for; {@link #RESERVE} is ours: the day budget kept for interactive work. */
public enum WaitReason {
    MINUTE, DAY, CONCURRENT, APPMINUTE, RESERVE;

    /** The lower-case name Xero uses in {@code X-Rate-Limit-Problem} (and we use in logs and metrics). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Xero's {@code X-Rate-Limit-Problem}; an absent or unknown problem is treated as a concurrency clash, the shortest wait. */
    public static WaitReason fromProblem(String problem) {
        if (problem != null) {
            for (WaitReason reason : values()) {
                if (reason != RESERVE && reason.code().equals(problem.trim().toLowerCase(Locale.ROOT))) {
                    return reason;
                }
            }
        }
        return CONCURRENT;
    }
}
