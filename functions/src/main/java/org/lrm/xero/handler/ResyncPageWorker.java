package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The resync-pages queue's consumer: one step of a re-sync or nightly job per message. */
public final class ResyncPageWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    /** Lambda's entry: wired from the environment. */
    public ResyncPageWorker() {
        this(ResyncRoot.fromEnvironment(), DeferralPolicy.standard());
    }

    public ResyncPageWorker(ResyncRoot root, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = root.pageWorker(deferrals);
        primeWith("empty batch", PrimingEvents.emptyBatch(), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
