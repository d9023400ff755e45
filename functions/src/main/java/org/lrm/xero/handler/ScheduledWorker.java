package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Map;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.invoice.PollTransactions;
import org.lrm.xero.app.resync.NightlySync;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;

/**
 * The scheduled-work queue's consumer: what the schedules queue per organisation, each on its own: a
 * transaction poll ({@code poll}, from the poll schedule) and an idle token refresh ({@code token-refresh},
 * from the nightly run).
 */
public final class ScheduledWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    public ScheduledWorker() {
        this(XeroWork.fromEnvironment());
    }

    private ScheduledWorker(XeroWork work) {
        this(work, DeferralPolicy.standard());
        SnapStartPriming.worker(this, work.aws(), work.settings().scheduledWorkQueueUrl());
    }

    public ScheduledWorker(XeroWork work, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        NightlySync nightly = ResyncWiring.nightly(work);
        this.worker = work.worker(work.settings().scheduledWorkQueueUrl(), WorkProcessor.byKind(Map.of(
                PollTransactions.POLL_KIND, InvoiceWiring.create(work).poll()::pollQueued,
                NightlySync.TOKEN_REFRESH_KIND, nightly::refreshQueued)), deferrals);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
