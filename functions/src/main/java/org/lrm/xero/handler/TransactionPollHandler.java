package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.lrm.xero.app.invoice.PollTransactions;

/** The schedule's target: polls every connected organisation's payments, credit notes and the like. */
public final class TransactionPollHandler extends JsonEventHandler<ScheduledEvent, Void> {

    private final PollTransactions poll;

    /** Lambda's entry: wired from the environment. */
    public TransactionPollHandler() {
        this(InvoiceRoot.fromEnvironment());
    }

    public TransactionPollHandler(InvoiceRoot root) {
        super(ScheduledEvent.class);
        this.poll = root.poll();
        primeMapping("schedule", PrimingEvents.SCHEDULE);
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        poll.pollAll();
        return null;
    }
}
