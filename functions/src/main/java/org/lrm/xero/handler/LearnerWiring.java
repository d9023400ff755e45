package org.lrm.xero.handler;

import org.lrm.xero.support.Environment;
import java.time.Clock;
import java.util.EnumSet;
import java.util.function.Predicate;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.learner.BulkSync;
import org.lrm.xero.app.learner.LearnerList;
import org.lrm.xero.app.learner.LearnerQueries;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.learner.ManualSync;
import org.lrm.xero.app.learner.MergeLearners;
import org.lrm.xero.app.learner.SaveLearner;

/** The learner API's composition root: its stores, queue and use cases, built once per cold start. */
record LearnerWiring(SaveLearner saveLearner, ManualSync manualSync, BulkSync bulkSync,
                     MergeLearners mergeLearners, LearnerQueries queries, LearnerList learnerList) {

    static LearnerWiring fromEnvironment() {
        Settings settings = Settings.fromEnvironment(Environment.current());
        AwsClients aws = SnapStartPriming.primedClients(EnumSet.allOf(SnapStartPriming.TableCalls.class));
        SnapStartPriming.queue(aws, settings.learnerSyncQueueUrl());
        return of(settings, aws,
                Wiring.orgConnected(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName())),
                Wiring.invoiceOwnerChange(settings, aws), Clock.systemUTC());
    }

    static LearnerWiring of(Settings settings, AwsClients aws, Predicate<String> orgConnected,
                            MergeLearners.InvoiceOwnerChange invoices, Clock clock) {
        DynamoLearnerStore learners = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        Logbook logbook = new DynamoLogbook(aws.dynamoDb(), settings.tableName());
        SqsLearnerSyncQueue queue = new SqsLearnerSyncQueue(new SqsQueue(aws.sqs()), settings.learnerSyncQueueUrl());
        return new LearnerWiring(
                new SaveLearner(learners, queue, logbook, clock),
                new ManualSync(learners, queue, orgConnected),
                new BulkSync(learners, queue, clock),
                new MergeLearners(learners, logbook, invoices, clock),
                new LearnerQueries(learners, logbook, new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()), clock),
                new LearnerList(learners));
    }
}
