package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The invoice-events queue's consumer: webhook events and polled invoice ids, per organisation. */
public final class InvoiceWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    /** Lambda's entry: wired from the environment. */
    public InvoiceWorker() {
        this(InvoiceRoot.fromEnvironment(), DeferralPolicy.standard());
    }

    public InvoiceWorker(InvoiceRoot root, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = root.eventsWorker(deferrals);
        primeWith("empty batch", PrimingEvents.emptyBatch(), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
