package org.lrm.xero.app.rate;

import java.time.Duration;
import org.lrm.xero.domain.rate.WaitReason;

/**
 * The tenant's Xero budget has no call for this work now: the work waits (in its queue) for
 * {@code duration}. Neither a failure nor a retry.
 */
public final class WaitForBudget extends RuntimeException {

    private final Duration duration;
    private final WaitReason reason;

    public WaitForBudget(Duration duration, WaitReason reason) {
        super("Xero budget: wait " + duration + " (" + reason.code() + ")", null, false, false);
        this.duration = duration;
        this.reason = reason;
    }

    public Duration duration() {
        return duration;
    }

    public WaitReason reason() {
        return reason;
    }
}
