package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.app.resync.ResyncEvents;
import org.lrm.xero.app.resync.ResyncJob;

/** {@link ResyncEvents} that keeps each ResyncCompleted published. */
public final class RecordingResyncEvents implements ResyncEvents {

    private final List<ResyncJob> completed = new ArrayList<>();

    @Override
    public void completed(ResyncJob job) {
        completed.add(job);
    }

    public List<ResyncJob> completed() {
        return List.copyOf(completed);
    }
}
