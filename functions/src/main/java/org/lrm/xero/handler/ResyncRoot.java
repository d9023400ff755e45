package org.lrm.xero.handler;

import java.time.Clock;
import java.util.Map;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoPollWatermarks;
import org.lrm.xero.adapter.aws.DynamoResyncJobs;
import org.lrm.xero.adapter.aws.EventBridgeResyncEvents;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorkQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.RefreshIdleToken;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.invoice.PollTransactions;
import org.lrm.xero.app.resync.NightlySync;
import org.lrm.xero.app.resync.RecentResyncs;
import org.lrm.xero.app.resync.ResyncProgress;
import org.lrm.xero.app.resync.ResyncSteps;
import org.lrm.xero.app.resync.StartResync;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;

/**
 * The re-sync functions' composition root: the re-sync API, the page worker (through the invoice
 * functions' one invoice path), the nightly schedule and the scheduled-work worker it shares with
 * the poll schedule. Each function builds only what it uses,
 * once per cold start; plain constructors, no DI framework.
 */
public final class ResyncRoot {

    private final Settings settings;
    private final AwsClients aws;
    private final Clock clock;
    private final Waiter waiter;

    private ResyncRoot(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        this.settings = settings;
        this.aws = aws;
        this.clock = clock;
        this.waiter = waiter;
    }

    /** As Lambda runs it: the function's settings, the system clock, back-off while another instance refreshes. */
    public static ResyncRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings), Clock.systemUTC(), Waiter.backoff());
    }

    /** For tests, the local run and the benchmark: their own AWS clients, clock and waiter. */
    public static ResyncRoot of(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        return new ResyncRoot(settings, aws, clock, waiter);
    }

    public Settings settings() {
        return settings;
    }

    /** The re-sync API's use cases, and the clock that says what "today" is for a range. */
    public record Api(StartResync start, ResyncProgress progress, RecentResyncs recent, Clock clock) {
    }

    /** The re-sync API's use cases; Xero is not called from them. */
    public Api api() {
        DynamoResyncJobs jobs = new DynamoResyncJobs(aws.dynamoDb(), settings.tableName());
        ResyncProgress progress = progress(settings, aws, clock, jobs);
        return new Api(start(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()), jobs), progress,
                new RecentResyncs(jobs, progress), clock);
    }

    /** An organisation's latest re-syncs with their progress, as the re-sync API shows them: also the operator API's. */
    static RecentResyncs recent(Settings settings, AwsClients aws, Clock clock) {
        DynamoResyncJobs jobs = new DynamoResyncJobs(aws.dynamoDb(), settings.tableName());
        return new RecentResyncs(jobs, progress(settings, aws, clock, jobs));
    }

    private static ResyncProgress progress(Settings settings, AwsClients aws, Clock clock, DynamoResyncJobs jobs) {
        return new ResyncProgress(jobs, Wiring.rateBudget(settings, aws, clock), Wiring.limits(settings), clock);
    }

    /** The page worker: one step of a re-sync or nightly job per message, invoices through the invoice path. */
    public SqsWorker pageWorker(DeferralPolicy deferrals) {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        InvoiceRoot.InvoicePath invoices = InvoiceRoot.of(settings, aws, clock, waiter).path(xero);
        SqsQueue sqs = new SqsQueue(aws.sqs());
        ResyncSteps steps = new ResyncSteps(new DynamoResyncJobs(aws.dynamoDb(), settings.tableName()),
                new SqsWorkQueue(sqs, settings.resyncPagesQueueUrl()), xero.ledger(), xero.contacts(), invoices.updates(),
                invoices.contactChanges(), invoices.learners(), new SqsLearnerSyncQueue(sqs, settings.learnerSyncQueueUrl()),
                invoices.logbook(), new EventBridgeResyncEvents(aws.eventBridge(), settings.eventBusName()),
                new DynamoPollWatermarks(aws.dynamoDb(), settings.tableName()), clock,
                sqs.redrive(settings.resyncPagesQueueUrl()).maxReceiveCount());
        return Wiring.worker(aws, settings.resyncPagesQueueUrl(), steps, deferrals, clock);
    }

    /** The nightly schedule: idle tokens refreshed, one nightly job queued per connected organisation. */
    public NightlySync nightly() {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        ConnectionStore connections = xero.connection().store();
        return new NightlySync(connections, xero.connection().tokens(),
                start(connections, new DynamoResyncJobs(aws.dynamoDb(), settings.tableName())),
                new DynamoPollWatermarks(aws.dynamoDb(), settings.tableName()),
                new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.scheduledWorkQueueUrl()), clock);
    }

    /**
     * The scheduled-work queue's worker: what the schedules queue per organisation, each on its own:
     * a transaction poll (from the poll schedule) and an idle token refresh (from the nightly run).
     */
    public SqsWorker scheduledWorker(DeferralPolicy deferrals) {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        PollTransactions poll = InvoiceRoot.of(settings, aws, clock, waiter).poll(xero);
        RefreshIdleToken refresh = new RefreshIdleToken(xero.connection().tokens(), clock);
        return Wiring.worker(aws, settings.scheduledWorkQueueUrl(), WorkProcessor.byKind(Map.of(
                PollTransactions.POLL_KIND, poll::pollQueued,
                RefreshIdleToken.KIND, refresh::refreshQueued)), deferrals, clock);
    }

    private StartResync start(ConnectionStore connections, DynamoResyncJobs jobs) {
        return new StartResync(connections, jobs, new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.resyncPagesQueueUrl()),
                clock);
    }
}
