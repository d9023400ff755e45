package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The resync-pages queue's consumer: one step of a re-sync or nightly job per message. */
public final class ResyncPageWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    public ResyncPageWorker() {
        this(XeroWork.fromEnvironment());
    }

    private ResyncPageWorker(XeroWork work) {
        this(work, DeferralPolicy.standard());
        SnapStartPriming.worker(this, work.aws(), work.settings().resyncPagesQueueUrl());
    }

    public ResyncPageWorker(XeroWork work, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = work.worker(work.settings().resyncPagesQueueUrl(), ResyncWiring.steps(work), deferrals);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
