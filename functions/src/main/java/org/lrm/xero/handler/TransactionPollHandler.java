package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.lrm.xero.app.invoice.SchedulePolls;

/**
 * The poll schedule's target (every minute): queues each organisation's due transaction poll on the
 * scheduled-work queue ({@link ScheduledWorker} runs them); it calls no Xero API itself.
 */
public final class TransactionPollHandler extends JsonEventHandler<ScheduledEvent, Void> {

    private final SchedulePolls schedule;

    /** Lambda's entry: wired from the environment. */
    public TransactionPollHandler() {
        this(InvoiceRoot.fromEnvironment());
    }

    public TransactionPollHandler(InvoiceRoot root) {
        super(ScheduledEvent.class);
        this.schedule = root.schedule();
        primeMapping("schedule", PrimingEvents.SCHEDULE);
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        schedule.run();
        return null;
    }
}
