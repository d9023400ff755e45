package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The learner-sync queue's consumer: learners to Xero contacts, 50 to a call, within the rate budget. */
public final class LearnerSyncWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    /** Lambda's entry: wired from the environment. */
    public LearnerSyncWorker() {
        this(LearnerRoot.fromEnvironment(), DeferralPolicy.standard());
    }

    public LearnerSyncWorker(LearnerRoot root, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = root.syncWorker(deferrals);
        primeWith("empty batch", PrimingEvents.emptyBatch(), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
