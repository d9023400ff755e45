package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;

/** A {@link WorkQueue} that keeps what was sent, or refuses it all when told to (as SQS may). */
public final class RecordingWorkQueue implements WorkQueue {

    private final List<WorkMessage> sent = new ArrayList<>();
    private RuntimeException refuseWith;

    @Override
    public void send(List<WorkMessage> messages) {
        if (refuseWith != null) {
            throw refuseWith;
        }
        sent.addAll(messages);
    }

    /** Every later send fails with {@code failure}; null to accept again. */
    public void refuse(RuntimeException failure) {
        this.refuseWith = failure;
    }

    public List<WorkMessage> sent() {
        return List.copyOf(sent);
    }

    /** Takes what was sent so far, leaving the queue empty. */
    public List<WorkMessage> drain() {
        List<WorkMessage> out = List.copyOf(sent);
        sent.clear();
        return out;
    }
}
