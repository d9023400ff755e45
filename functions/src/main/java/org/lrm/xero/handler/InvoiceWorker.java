package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The invoice-events queue's consumer: webhook events and polled invoice ids, per organisation. */
public final class InvoiceWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    public InvoiceWorker() {
        this(XeroWork.fromEnvironment());
    }

    private InvoiceWorker(XeroWork work) {
        this(work, DeferralPolicy.standard());
        SnapStartPriming.worker(this, work.aws(), work.settings().invoiceEventsQueueUrl());
    }

    public InvoiceWorker(XeroWork work, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = work.worker(work.settings().invoiceEventsQueueUrl(), InvoiceWiring.create(work).events(), deferrals);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
