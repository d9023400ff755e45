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

/** The operator API's composition root: organisations' health over the stores, dead letters over the DLQs. */
final class OperatorWiring {

    private OperatorWiring() {
    }

    static OrganisationHealth organisations(Settings settings, AwsClients aws, Clock clock) {
        return new OrganisationHealth(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()),
                new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()), ResyncWiring.recent(settings, aws, clock));
    }

    /** The DLQs as the replay function reads them ({@link DlqReplayHandler#queues}): one way through them. */
    static DeadLetterDesk deadLetters(Settings settings, AwsClients aws, Clock clock) {
        return new DeadLetterDesk(new DlqReplay(new SqsQueue(aws.sqs()), DlqReplayHandler.queues(settings)),
                new DynamoOperatorAudit(aws.dynamoDb(), settings.tableName()), clock);
    }
}
