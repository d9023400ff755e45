package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.learner.SyncLearners;
import org.lrm.xero.app.work.DeferralPolicy;

/** The learner-sync queue's consumer: learners to Xero contacts, 50 to a call, within the rate budget. */
public final class LearnerSyncWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    public LearnerSyncWorker() {
        this(XeroWork.fromEnvironment());
    }

    private LearnerSyncWorker(XeroWork work) {
        this(work, DeferralPolicy.standard());
        SnapStartPriming.worker(this, work.aws(), work.settings().learnerSyncQueueUrl());
    }

    public LearnerSyncWorker(XeroWork work, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        String table = work.settings().tableName();
        SyncLearners sync = new SyncLearners(new DynamoLearnerStore(work.aws().dynamoDb(), table),
                new DynamoLogbook(work.aws().dynamoDb(), table), work.connection().store(), work.contacts(), work.clock());
        this.worker = work.worker(work.settings().learnerSyncQueueUrl(), sync, deferrals);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
