package org.lrm.xero.app.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.domain.rate.WaitReason;

/**
 * A {@link RateBudget} whose answers a test sets: calls are granted unless waits were queued;
 * every release and 429 is kept, so a test sees that each call gave its place back.
 */
public final class InMemoryRateBudget implements RateBudget {

    /** One call's place given back, with Xero's counters. */
    public record Released(Lease lease, Remaining remaining) {
    }

    private final Deque<Admission.Wait> waits = new ArrayDeque<>();
    private final List<Lease> granted = new ArrayList<>();
    private final List<Released> released = new ArrayList<>();
    private final List<String> rateLimited = new ArrayList<>();
    private Snapshot snapshot = new Snapshot(60, 5000, null, 5000);
    private Duration waitAfter429 = Duration.ofSeconds(60);

    /** The next acquire answers wait. */
    public void waitNext(Duration duration, WaitReason reason) {
        waits.add(new Admission.Wait(duration, reason));
    }

    public void snapshot(Snapshot now) {
        this.snapshot = now;
    }

    @Override
    public Admission acquire(String tenantId, Priority priority) {
        Admission.Wait wait = waits.poll();
        if (wait != null) {
            return wait;
        }
        Lease lease = new Lease(tenantId, UUID.randomUUID().toString(), Instant.EPOCH);
        granted.add(lease);
        return new Admission.Granted(lease);
    }

    @Override
    public void release(Lease lease, Remaining remaining) {
        released.add(new Released(lease, remaining));
    }

    @Override
    public Admission.Wait onRateLimited(String tenantId, String problem, Duration retryAfter) {
        rateLimited.add(problem);
        return new Admission.Wait(retryAfter != null ? retryAfter : waitAfter429, WaitReason.fromProblem(problem));
    }

    @Override
    public Snapshot snapshot(String tenantId) {
        return snapshot;
    }

    public List<Lease> granted() {
        return List.copyOf(granted);
    }

    public List<Released> released() {
        return List.copyOf(released);
    }

    /** Xero's problems of the 429s reported. */
    public List<String> rateLimited() {
        return List.copyOf(rateLimited);
    }
}
