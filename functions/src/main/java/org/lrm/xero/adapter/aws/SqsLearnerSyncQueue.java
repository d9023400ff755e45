package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.learner.LearnerSyncQueue;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.support.Priming;
import org.lrm.xero.domain.rate.Priority;

/** Learner syncs on the learner-sync queue, as work messages of up to 50 learners (one Xero batch) each. */
public final class SqsLearnerSyncQueue implements LearnerSyncQueue {

    static final int LEARNERS_PER_MESSAGE = 50;

    private final SqsQueue sqs;
    private final String queueUrl;
    /** The SQS client's warm-up of the sends to this queue (SnapStart), kept as long as the queue lives. */
    private final Priming priming;

    public SqsLearnerSyncQueue(SqsQueue sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.priming = sqs.primeSends(queueUrl);
    }

    @Override
    public void enqueue(String orgId, List<String> learnerIds, Priority priority, boolean force, String jobId) {
        List<SqsQueue.Outgoing> messages = new ArrayList<>();
        LearnerSyncRequest request = LearnerSyncRequest.newAttempt(learnerIds, force, jobId);
        for (int i = 0; i < learnerIds.size(); i += LEARNERS_PER_MESSAGE) {
            ObjectNode payload = request.forLearners(
                    learnerIds.subList(i, Math.min(i + LEARNERS_PER_MESSAGE, learnerIds.size()))).toJson();
            WorkMessage message = WorkMessage.of(LearnerSyncRequest.KIND, orgId, null, priority, payload);
            messages.add(new SqsQueue.Outgoing(message.toJson(), Map.of("orgId", orgId, "kind", LearnerSyncRequest.KIND), 0));
        }
        sqs.sendBatch(queueUrl, messages);
    }
}
