package org.lrm.xero.app.rate;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.domain.rate.WaitReason;

/**
 * The Xero call budget of every tenant, shared by every function and instance. Each call to
 * Xero is bracketed by {@link #acquire} (before: a slot and one call of each window, or how long
 * to wait) and {@link #release} (after, in every case: the slot back, Xero's counters adopted).
 */
public interface RateBudget {

    Admission acquire(String tenantId, Priority priority);

    /**
     * Gives the lease's slot back and corrects the budget from the response's counters ({@link Remaining#UNKNOWN}
     * if none): the minute's count, and the tenant's day limit, learned from Xero's and kept.
     */
    void release(Lease lease, Remaining remaining);

    /** Xero answered 429: records it (a minute or day 429 pauses the tenant for every instance) and says how long to wait. */
    Admission.Wait onRateLimited(String tenantId, String problem, Duration retryAfter);

    Snapshot snapshot(String tenantId);

    sealed interface Admission {

        record Granted(Lease lease) implements Admission {
        }

        record Wait(Duration duration, WaitReason reason) implements Admission {
            public Wait {
                Objects.requireNonNull(reason, "reason");
                duration = duration.isNegative() ? Duration.ZERO : duration;
            }
        }
    }

    /** One concurrency slot, held until given back or until {@code until} if its holder dies. */
    record Lease(String tenantId, String leaseId, Instant until) {
    }

    /**
     * @param resumesAt when bulk work may call again, null if it may now
     * @param dayLimit the tenant's calls a day as learned from Xero (5,000 until Xero's first answer)
     */
    record Snapshot(int minuteRemaining, int dayRemaining, Instant resumesAt, int dayLimit) {
    }
}
