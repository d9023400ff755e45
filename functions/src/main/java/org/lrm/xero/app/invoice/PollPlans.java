package org.lrm.xero.app.invoice;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Each organisation's {@link PollPlan}: the schedule reads them all, the poll and the webhooks move them. */
public interface PollPlans {

    /** The plans of these organisations that have one, by organisation id. */
    Map<String, PollPlan> find(Collection<String> orgIds);

    /**
     * Marks a poll as queued until {@code until}, unless another run already did (its claim has not passed
     * {@code now}).
     *
     * @return false when another run of the schedule holds the organisation's poll
     */
    boolean claim(String orgId, Instant now, Instant until);

    /** The queued poll waits (for Xero's budget) until {@code until}: no other is queued before. */
    void hold(String orgId, Instant until);

    /** A poll finished: the plan as it now is, with no claim. */
    void save(PollPlan plan);

    /**
     * Finance is at work in Xero (a webhook said so at {@code at}): the empty polls start again from none, and
     * the next poll comes no later than {@code pollBy}.
     */
    void activity(String orgId, Instant at, Instant pollBy);
}
