package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.lrm.xero.app.invoice.PollTransactions;

/** The schedule's target: polls every connected organisation's payments, credit notes and the like. */
public final class TransactionPollHandler implements RequestHandler<ScheduledEvent, Void> {

    private final PollTransactions poll;

    public TransactionPollHandler() {
        this(XeroWork.fromEnvironment());
    }

    public TransactionPollHandler(XeroWork work) {
        this.poll = InvoiceWiring.create(work).poll();
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        poll.pollAll();
        return null;
    }
}
