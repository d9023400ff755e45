package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/**
 * The scheduled-work queue's consumer: what the schedules queue per organisation, each on its own: a
 * transaction poll ({@code poll}, from the poll schedule) and an idle token refresh ({@code token-refresh},
 * from the nightly run).
 */
public final class ScheduledWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    /** Lambda's entry: wired from the environment. */
    public ScheduledWorker() {
        this(ResyncRoot.fromEnvironment(), DeferralPolicy.standard());
    }

    public ScheduledWorker(ResyncRoot root, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = root.scheduledWorker(deferrals);
        primeWith("empty batch", PrimingEvents.emptyBatch(), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
