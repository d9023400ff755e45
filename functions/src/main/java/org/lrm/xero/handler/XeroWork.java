package org.lrm.xero.handler;

import org.lrm.xero.support.Environment;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoRateBudget;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.adapter.xero.XeroApiContacts;
import org.lrm.xero.adapter.xero.XeroApiLedger;
import org.lrm.xero.adapter.xero.XeroApiPdfs;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroPdfs;
import org.lrm.xero.adapter.xero.XeroGateway;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;

/**
 * What every function that calls Xero from a queue shares: the connection and token vault, the
 * tenant's rate budget, the gateway through which every Xero call goes, the Xero ports over it,
 * and the SQS plumbing. Composition roots build one per cold start and add their own use case.
 */
public record XeroWork(Settings settings, AwsClients aws, Clock clock, ConnectionComponents connection,
                       XeroGateway gateway, XeroContacts contacts, XeroLedger ledger, XeroPdfs pdfs, SqsQueue sqs) {

    public static XeroWork create(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        ConnectionComponents connection = ConnectionComponents.create(settings, aws, clock, waiter);
        DynamoRateBudget budget = new DynamoRateBudget(aws.dynamoDb(), settings.budgetTableName(),
                new RatePolicy(RateLimits.xero(settings.bulkDayReservePercent())), clock);
        XeroGateway gateway = new XeroGateway(budget, connection.tokens(),
                (orgId, tenantId, remaining, at) -> connection.store().recordBudget(orgId, remaining.minute(),
                        remaining.day(), at), clock);
        return new XeroWork(settings, aws, clock, connection, gateway, new XeroApiContacts(connection.xero(), gateway),
                new XeroApiLedger(connection.xero(), gateway), new XeroApiPdfs(connection.xero(), gateway),
                new SqsQueue(aws.sqs()));
    }

    static XeroWork fromEnvironment() {
        Settings settings = Settings.fromEnvironment(Environment.current());
        return create(settings, SnapStartPriming.primedXeroClients(settings, true), Clock.systemUTC(), Waiter.backoff());
    }

    /** A worker over {@code queueUrl}: partial batch responses, waits that never spend maxReceiveCount. */
    public SqsWorker worker(String queueUrl, WorkProcessor processor, DeferralPolicy deferrals) {
        return new SqsWorker(sqs, queueUrl, processor, deferrals, clock, () -> ThreadLocalRandom.current().nextDouble());
    }
}
