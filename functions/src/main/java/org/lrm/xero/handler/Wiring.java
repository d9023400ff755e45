package org.lrm.xero.handler;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoRateBudget;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;
import software.amazon.awssdk.regions.Region;

/** Pieces several composition roots build the same way. */
final class Wiring {

    private Wiring() {
    }

    /** The function's AWS clients, as its settings locate AWS (or an emulator); each client built on first use. */
    static AwsClients awsClients(Settings settings) {
        return AwsClients.of(Region.of(settings.awsRegion()), Optional.ofNullable(settings.awsEndpoint()), settings.emulatorKeys());
    }

    /** A worker over {@code queueUrl}: partial batch responses, waits that never spend maxReceiveCount. */
    static SqsWorker worker(AwsClients aws, String queueUrl, WorkProcessor processor, DeferralPolicy deferrals,
            Clock clock) {
        return new SqsWorker(new SqsQueue(aws.sqs()), queueUrl, processor, deferrals, clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The tenants' Xero budgets, shared by every Lambda through the budget table. */
    static DynamoRateBudget rateBudget(Settings settings, AwsClients aws, Clock clock) {
        return new DynamoRateBudget(aws.dynamoDb(), settings.budgetTableName(), new RatePolicy(limits(settings)), clock);
    }

    static RateLimits limits(Settings settings) {
        return RateLimits.xero(settings.bulkDayReservePercent());
    }

    /** Whether an organisation's Xero connection is usable ({@link ConnectionStore#usable}). */
    static Predicate<String> orgConnected(ConnectionStore connections) {
        return orgId -> connections.usable(orgId).isPresent();
    }
}
