package org.lrm.xero.handler;

import java.time.Clock;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.DynamoPollWatermarks;
import org.lrm.xero.adapter.aws.DynamoRateBudget;
import org.lrm.xero.adapter.aws.DynamoResyncJobs;
import org.lrm.xero.adapter.aws.EventBridgeResyncEvents;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorkQueue;
import org.lrm.xero.app.invoice.ContactChanges;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.resync.NightlySync;
import org.lrm.xero.app.resync.RecentResyncs;
import org.lrm.xero.app.resync.ResyncJobs;
import org.lrm.xero.app.resync.ResyncProgress;
import org.lrm.xero.app.resync.ResyncSteps;
import org.lrm.xero.app.resync.StartResync;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;

/** The re-sync functions' composition root: the API, the page worker and the nightly schedule. */
final class ResyncWiring {

    private ResyncWiring() {
    }

    static ResyncJobs jobs(Settings settings, AwsClients aws) {
        return new DynamoResyncJobs(aws.dynamoDb(), settings.tableName());
    }

    static StartResync start(Settings settings, AwsClients aws, Clock clock) {
        return new StartResync(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()), jobs(settings, aws),
                new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.resyncPagesQueueUrl()), clock);
    }

    static ResyncProgress progress(Settings settings, AwsClients aws, Clock clock) {
        RateLimits limits = RateLimits.xero(settings.bulkDayReservePercent());
        return new ResyncProgress(jobs(settings, aws),
                new DynamoRateBudget(aws.dynamoDb(), settings.budgetTableName(), new RatePolicy(limits), clock), limits, clock);
    }

    static RecentResyncs recent(Settings settings, AwsClients aws, Clock clock) {
        return new RecentResyncs(new DynamoResyncJobs(aws.dynamoDb(), settings.tableName()), progress(settings, aws, clock));
    }

    /** The page worker's use case, over the invoice functions' one invoice path. */
    static ResyncSteps steps(XeroWork work) {
        Settings settings = work.settings();
        AwsClients aws = work.aws();
        String table = settings.tableName();
        InvoiceWiring invoices = InvoiceWiring.create(work);
        LearnerStore learners = new DynamoLearnerStore(aws.dynamoDb(), table);
        Logbook logbook = new DynamoLogbook(aws.dynamoDb(), table);
        ContactChanges contacts = new ContactChanges(work.contacts(), work.ledger(), learners, logbook, invoices.updates(),
                work.clock());
        return new ResyncSteps(jobs(settings, aws), new SqsWorkQueue(work.sqs(), settings.resyncPagesQueueUrl()),
                work.ledger(), work.contacts(), invoices.updates(), contacts, learners,
                new SqsLearnerSyncQueue(work.sqs(), settings.learnerSyncQueueUrl()), logbook,
                new EventBridgeResyncEvents(aws.eventBridge(), settings.eventBusName()),
                new DynamoPollWatermarks(aws.dynamoDb(), table), work.clock(),
                work.sqs().redrive(settings.resyncPagesQueueUrl()).maxReceiveCount());
    }

    static NightlySync nightly(XeroWork work) {
        Settings settings = work.settings();
        return new NightlySync(work.connection().store(), work.connection().tokens(),
                start(settings, work.aws(), work.clock()), new DynamoPollWatermarks(work.aws().dynamoDb(), settings.tableName()),
                new SqsWorkQueue(work.sqs(), settings.scheduledWorkQueueUrl()), work.clock());
    }
}
