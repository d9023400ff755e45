package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.app.learner.LearnerSyncQueue;
import org.lrm.xero.domain.rate.Priority;

/** A {@link LearnerSyncQueue} that keeps what was queued. */
public final class RecordingLearnerSyncQueue implements LearnerSyncQueue {

    /** One enqueue call. */
    public record Queued(String orgId, List<String> learnerIds, Priority priority, boolean force, String jobId) {
    }

    private final List<Queued> queued = new ArrayList<>();

    @Override
    public void enqueue(String orgId, List<String> learnerIds, Priority priority, boolean force, String jobId) {
        queued.add(new Queued(orgId, List.copyOf(learnerIds), priority, force, jobId));
    }

    public List<Queued> queued() {
        return List.copyOf(queued);
    }

    /** Every learner queued, in order. */
    public List<String> learnerIds() {
        return queued.stream().flatMap(q -> q.learnerIds().stream()).toList();
    }
}
