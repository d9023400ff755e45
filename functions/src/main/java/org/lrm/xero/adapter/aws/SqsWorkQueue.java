package org.lrm.xero.adapter.aws;

import java.util.List;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.support.Priming;
import org.lrm.xero.app.work.WorkQueue;

/** A work queue on SQS: messages go out ten to a SendMessageBatch. */
public final class SqsWorkQueue implements WorkQueue {

    private final SqsQueue sqs;
    private final String queueUrl;
    /** The SQS client's warm-up of the sends to this queue (SnapStart), kept as long as the queue lives. */
    private final Priming priming;

    public SqsWorkQueue(SqsQueue sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.priming = sqs.primeSends(queueUrl);
    }

    @Override
    public void send(List<WorkMessage> messages) {
        sqs.sendBatch(queueUrl, messages.stream().map(m -> new SqsQueue.Outgoing(m.toJson(), java.util.Map.of(), 0)).toList());
    }
}
