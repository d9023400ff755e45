package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.lrm.xero.app.invoice.PollTransactions;

/** The schedule's target: polls every connected organisation's payments, credit notes and the like. */
public final class TransactionPollHandler extends JsonEventHandler<ScheduledEvent, Void> {

    private final PollTransactions poll;

    public TransactionPollHandler() {
        this(SnapStartPriming.schedule(XeroWork.fromEnvironment()));
    }

    public TransactionPollHandler(XeroWork work) {
        super(ScheduledEvent.class);
        this.poll = InvoiceWiring.create(work).poll();
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        poll.pollAll();
        return null;
    }
}
