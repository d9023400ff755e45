package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.lrm.xero.app.invoice.PollPlan;
import org.lrm.xero.app.invoice.PollPlans;

/** {@link PollPlans} in memory, with DynamoPollPlans' conditions: a claim only where none holds. */
public final class InMemoryPollPlans implements PollPlans {

    private final Map<String, PollPlan> plans = new HashMap<>();

    @Override
    public synchronized Map<String, PollPlan> find(Collection<String> orgIds) {
        Map<String, PollPlan> found = new HashMap<>();
        orgIds.stream().filter(plans::containsKey).forEach(o -> found.put(o, plans.get(o)));
        return found;
    }

    @Override
    public synchronized boolean claim(String orgId, Instant now, Instant until) {
        PollPlan p = plan(orgId);
        if (p.claimedUntil() != null && p.claimedUntil().isAfter(now)) {
            return false;
        }
        plans.put(orgId, new PollPlan(orgId, p.nextPollAt(), until, p.emptyPolls(), p.lastActivityAt(), p.lastPolledAt()));
        return true;
    }

    @Override
    public synchronized void hold(String orgId, Instant until) {
        PollPlan p = plan(orgId);
        plans.put(orgId, new PollPlan(orgId, p.nextPollAt(), until, p.emptyPolls(), p.lastActivityAt(), p.lastPolledAt()));
    }

    @Override
    public synchronized void save(PollPlan plan) {
        PollPlan p = plan(plan.orgId());
        plans.put(plan.orgId(), new PollPlan(plan.orgId(), plan.nextPollAt(), null, plan.emptyPolls(),
                plan.lastActivityAt() != null ? plan.lastActivityAt() : p.lastActivityAt(), plan.lastPolledAt()));
    }

    @Override
    public synchronized void activity(String orgId, Instant at, Instant pollBy) {
        PollPlan p = plan(orgId);
        Instant next = p.nextPollAt() == null || p.nextPollAt().isAfter(pollBy) ? pollBy : p.nextPollAt();
        plans.put(orgId, new PollPlan(orgId, next, p.claimedUntil(), 0, at, p.lastPolledAt()));
    }

    /** The organisation's plan; empty (due now) when it has none. */
    public synchronized PollPlan plan(String orgId) {
        return plans.getOrDefault(orgId, new PollPlan(orgId, null, null, 0, null, null));
    }
}
