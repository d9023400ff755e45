package org.lrm.xero.handler;

import java.time.Clock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.learner.BulkSync;
import org.lrm.xero.app.learner.LearnerList;
import org.lrm.xero.app.learner.LearnerQueries;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.learner.ManualSync;
import org.lrm.xero.app.learner.MergeLearners;
import org.lrm.xero.app.learner.SaveLearner;
import org.lrm.xero.app.learner.SyncLearners;
import org.lrm.xero.app.work.DeferralPolicy;

/**
 * The learner functions' composition root: the learner API (its stores, queue and use cases) and
 * the learner-sync worker (learners to Xero contacts). Each function builds only what it uses, once
 * per cold start; plain constructors, no DI framework.
 */
public final class LearnerRoot {

    private final Settings settings;
    private final AwsClients aws;
    private final Clock clock;
    private final Waiter waiter;
    private final UnaryOperator<LearnerStore> aroundLearners;

    private LearnerRoot(Settings settings, AwsClients aws, Clock clock, Waiter waiter,
            UnaryOperator<LearnerStore> aroundLearners) {
        this.settings = settings;
        this.aws = aws;
        this.clock = clock;
        this.waiter = waiter;
        this.aroundLearners = aroundLearners;
    }

    /** As Lambda runs it: the function's settings, the system clock, back-off while another instance refreshes. */
    public static LearnerRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings), Clock.systemUTC(), Waiter.backoff());
    }

    /** For tests, the local run and the benchmark: their own AWS clients, clock and waiter. */
    public static LearnerRoot of(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        return new LearnerRoot(settings, aws, clock, waiter, UnaryOperator.identity());
    }

    /** This root with the learner store its use cases write through seen through {@code around} (a test's crash). */
    public LearnerRoot withLearnerStore(UnaryOperator<LearnerStore> around) {
        return new LearnerRoot(settings, aws, clock, waiter, around);
    }

    public Settings settings() {
        return settings;
    }

    /** The learner API's use cases, over one learner store, sync queue and logbook. */
    public record Api(SaveLearner save, ManualSync manualSync, BulkSync bulkSync, MergeLearners merge,
                      LearnerQueries queries, LearnerList list) {
    }

    /** The learner API's use cases; Xero is not called from them. */
    public Api api() {
        DynamoLearnerStore store = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        LearnerStore learners = aroundLearners.apply(store);
        Logbook logbook = new DynamoLogbook(aws.dynamoDb(), settings.tableName());
        SqsLearnerSyncQueue queue = new SqsLearnerSyncQueue(new SqsQueue(aws.sqs()), settings.learnerSyncQueueUrl());
        DynamoConnectionStore connections = new DynamoConnectionStore(aws.dynamoDb(), settings.tableName());
        Predicate<String> orgConnected = Wiring.orgConnected(connections);
        return new Api(
                new SaveLearner(learners, queue, logbook, orgConnected, clock),
                new ManualSync(learners, queue, orgConnected),
                new BulkSync(learners, queue, orgConnected, clock),
                new MergeLearners(learners, logbook, new DynamoInvoiceStore(aws.dynamoDb(), settings.tableName()), clock),
                new LearnerQueries(learners, logbook, connections, clock),
                new LearnerList(store));
    }

    /** The learner-sync worker: the queue's learners to Xero contacts, 50 to a call, within the rate budget. */
    public SqsWorker syncWorker(DeferralPolicy deferrals) {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        SyncLearners sync = new SyncLearners(aroundLearners.apply(new DynamoLearnerStore(aws.dynamoDb(), settings.tableName())),
                new DynamoLogbook(aws.dynamoDb(), settings.tableName()), xero.connection().store(), xero.contacts(), clock);
        return Wiring.worker(aws, settings.learnerSyncQueueUrl(), sync, deferrals, clock);
    }
}
