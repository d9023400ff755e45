package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.lrm.xero.app.resync.NightlySync;

/** The nightly schedule's target: idle tokens refreshed, one nightly job queued per connected organisation. */
public final class NightlySyncHandler extends JsonEventHandler<ScheduledEvent, Void> {

    private final NightlySync nightly;

    /** Lambda's entry: wired from the environment. */
    public NightlySyncHandler() {
        this(ResyncRoot.fromEnvironment());
    }

    public NightlySyncHandler(ResyncRoot root) {
        super(ScheduledEvent.class);
        this.nightly = root.nightly();
        primeMapping("schedule", PrimingEvents.SCHEDULE);
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        nightly.run();
        return null;
    }
}
