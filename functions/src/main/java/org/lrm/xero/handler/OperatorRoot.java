package org.lrm.xero.handler;

import java.time.Clock;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DlqReplay;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoOperatorAudit;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.operator.DeadLetterDesk;
import org.lrm.xero.app.operator.OrganisationHealth;

/**
 * The operator API's composition root: every organisation's health over the stores, and the dead
 * letters over the DLQs the replay function reads ({@link DlqReplayRoot#queues}: one way through
 * them). It calls no Xero, so it takes no waiter. Built once per cold start; plain constructors,
 * no DI framework.
 */
public final class OperatorRoot {

    private final Settings settings;
    private final AwsClients aws;
    private final Clock clock;

    private OperatorRoot(Settings settings, AwsClients aws, Clock clock) {
        this.settings = settings;
        this.aws = aws;
        this.clock = clock;
    }

    /** As Lambda runs it: the function's settings and the system clock. */
    public static OperatorRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings), Clock.systemUTC());
    }

    /** For tests and the local run: their own AWS clients and clock. */
    public static OperatorRoot of(Settings settings, AwsClients aws, Clock clock) {
        return new OperatorRoot(settings, aws, clock);
    }

    /** Each organisation's connection, failed learners and latest re-sync, a page at a time. */
    public OrganisationHealth organisations() {
        return new OrganisationHealth(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()),
                new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()), ResyncRoot.recent(settings, aws, clock));
    }

    /** The dead letters looked at and replayed, each replay with an audit record. */
    public DeadLetterDesk deadLetters() {
        return new DeadLetterDesk(new DlqReplay(new SqsQueue(aws.sqs()), DlqReplayRoot.queues(settings)),
                new DynamoOperatorAudit(aws.dynamoDb(), settings.tableName()), clock);
    }
}
