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

    public TransactionPollHandler() {
        this(SnapStartPriming.schedule(XeroWork.fromEnvironment()));
    }

    public TransactionPollHandler(XeroWork work) {
        super(ScheduledEvent.class);
        this.schedule = InvoiceWiring.create(work).schedule();
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        schedule.run();
        return null;
    }
}
