package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The SQS calls of the work runtime, by queue URL. */
public final class SqsQueue {

    /** SQS delays a message 0 to 900 seconds; it refuses a send asking for more, and sends nothing. */
    private static final int MORE_THAN_SQS_DELAYS = 901;

    private final SqsClient sqs;

    public SqsQueue(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** What a queue's redrive policy says: where dead letters go and after how many receives. */
    public record Redrive(String deadLetterQueueUrl, int maxReceiveCount) {
    }

    /**
     * One message to send: string attributes only (reason, orgId, kind).
     *
     * @param fairnessGroup the organisation the work is for, sent as the message's {@code MessageGroupId}: on a
     *     standard queue SQS (its fair queues) then keeps one organisation's backlog from delaying the others'
     *     messages; null for a message of no organisation (a dead letter, which nobody consumes in turn)
     */
    public record Outgoing(String body, Map<String, String> attributes, int delaySeconds, String fairnessGroup) {
        public Outgoing {
            attributes = Map.copyOf(attributes);
        }

        public Outgoing(String body, Map<String, String> attributes, int delaySeconds) {
            this(body, attributes, delaySeconds, null);
        }

        /** A work message, in its organisation's fairness group. */
        public static Outgoing work(WorkMessage message, Map<String, String> attributes, int delaySeconds) {
            return new Outgoing(message.toJson(), attributes, delaySeconds, message.orgId());
        }
    }

    /**
     * Registers, for SnapStart, this client's warm-up of the sends to {@code queueUrl}: the
     * components that send to a queue call it ({@link #warmUpSends}).
     * @return the registration, for the caller to keep as long as it lives (CRaC holds it weakly)
     */
    public Priming primeSends(String queueUrl) {
        return Priming.register("sends to " + name(queueUrl), () -> warmUpSends(queueUrl));
    }

    /**
     * A work message written and read as JSON, then sends of it to {@code queueUrl} as the work
     * runtime makes them: a SendMessageBatch of one, one of ten (a full batch, as a bulk sync sends
     * them) and a SendMessage, each delayed beyond what SQS allows, which SQS refuses (the request
     * whole, or the batch's entries), so nothing is sent.
     */
    void warmUpSends(String queueUrl) {
        String body = WorkMessage.parse(WorkMessage.of("priming", Priming.ORG, "tenant", Priority.BULK,
                Json.MAPPER.createObjectNode()).toJson()).toJson();
        Outgoing refused = new Outgoing(body, Map.of("orgId", Priming.ORG), MORE_THAN_SQS_DELAYS, Priming.ORG);
        refusedBySqs(() -> sendBatch(queueUrl, List.of(refused)));
        refusedBySqs(() -> sendBatch(queueUrl, java.util.Collections.nCopies(10, refused)));
        // The answer an accepted batch gets, which a refused one never reads.
        SendMessageBatchResultEntry.builder().id(Priming.ORG).build();
        refusedBySqs(() -> send(queueUrl, new Outgoing(body, Map.of(), MORE_THAN_SQS_DELAYS)));
    }

    /** A queue's name, the last part of its URL, for logs. */
    static String name(String queueUrl) {
        return queueUrl == null ? "no queue" : queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    /**
     * Sends what SQS must refuse: the request whole (400), or, for a batch, its entry as failed
     * (moto answers 200 and lists it; {@link #sendBatch} then throws {@link IllegalStateException}).
     */
    private static void refusedBySqs(Runnable send) {
        try {
            send.run();
        } catch (SqsException refused) {
            if (refused.statusCode() != 400) {
                throw refused;
            }
            return;
        } catch (IllegalStateException refusedEntry) {
            return;
        }
        throw new IllegalStateException("SQS took a message delayed beyond 900 s");
    }

    public void send(String queueUrl, Outgoing message) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.body()).delaySeconds(message.delaySeconds())
                .messageGroupId(message.fairnessGroup()).messageAttributes(attributeValues(message.attributes())));
    }

    /** Sends the messages ten to a call (SQS's most); throws if any was not accepted. */
    public void sendBatch(String queueUrl, List<Outgoing> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Outgoing> chunk = messages.subList(from, Math.min(from + 10, messages.size()));
            List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                Outgoing m = chunk.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(m.body())
                        .delaySeconds(m.delaySeconds()).messageGroupId(m.fairnessGroup())
                        .messageAttributes(attributeValues(m.attributes())).build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + response.failed().size() + " of " + chunk.size()
                        + " messages: " + response.failed().get(0).message());
            }
        }
    }

    public void changeVisibility(String queueUrl, String receiptHandle, int seconds) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(seconds));
    }

    /**
     * Makes received messages visible again at once, ten to a call (SQS's most); a receipt SQS no
     * longer knows (the message was deleted meanwhile) is passed over.
     */
    public void release(String queueUrl, List<String> receiptHandles) {
        changeVisibilities(queueUrl, receiptHandles, java.util.Collections.nCopies(receiptHandles.size(), 0));
    }

    /**
     * Hides each received message for its number of seconds (0: visible again at once), ten to a call (SQS's
     * most); a receipt SQS no longer knows (the message was deleted meanwhile) is passed over.
     */
    public void changeVisibilities(String queueUrl, List<String> receiptHandles, List<Integer> seconds) {
        for (int from = 0; from < receiptHandles.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = from; i < Math.min(from + 10, receiptHandles.size()); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i - from))
                        .receiptHandle(receiptHandles.get(i)).visibilityTimeout(seconds.get(i)).build());
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    /** Deletes received messages, ten to a call (SQS's most). */
    public void deleteAll(String queueUrl, List<String> receiptHandles) {
        for (int from = 0; from < receiptHandles.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = from; i < Math.min(from + 10, receiptHandles.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i - from))
                        .receiptHandle(receiptHandles.get(i)).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    public void delete(String queueUrl, String receiptHandle) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle));
    }

    /**
     * Up to {@code max} (≤ 10) messages with their attributes, their receive count and when SQS took
     * them, hidden for {@code visibilitySeconds}.
     */
    public List<software.amazon.awssdk.services.sqs.model.Message> receive(String queueUrl, int max, int visibilitySeconds,
            int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(waitSeconds).messageAttributeNames("All")
                .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount", "SentTimestamp")).messages();
    }

    /** Messages waiting to be received (SQS's approximate count: it can lag a message just sent by up to a minute). */
    public int visibleMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    public Redrive redrive(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.QUEUE_ARN)).attributes();
        String policy = attributes.get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null) {
            throw new IllegalStateException("queue " + queueUrl + " has no dead-letter queue");
        }
        try {
            JsonNode json = Json.MAPPER.readTree(policy);
            String dlqArn = json.get("deadLetterTargetArn").asText();
            String dlqUrl = siblingUrl(queueUrl, attributes.get(QueueAttributeName.QUEUE_ARN), dlqArn)
                    .orElseGet(() -> {
                        String[] arn = dlqArn.split(":");
                        return sqs.getQueueUrl(b -> b.queueName(arn[5]).queueOwnerAWSAccountId(arn[4])).queueUrl();
                    });
            return new Redrive(dlqUrl, json.get("maxReceiveCount").asInt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable redrive policy of " + queueUrl, e);
        }
    }

    /**
     * The URL of a queue in the same account and region as the queue at {@code queueUrl}, as SQS
     * spells queue URLs ({@code <endpoint>/<account>/<name>}): a dead-letter queue is one as a rule,
     * and its URL then costs no GetQueueUrl call. Empty when the two ARNs differ in either.
     */
    static Optional<String> siblingUrl(String queueUrl, String queueArn, String siblingArn) {
        String[] queue = queueArn == null ? new String[0] : queueArn.split(":");
        String[] sibling = siblingArn.split(":");
        if (queue.length != 6 || sibling.length != 6 || !queue[3].equals(sibling[3]) || !queue[4].equals(sibling[4])
                || !queueUrl.endsWith("/" + queue[4] + "/" + queue[5])) {
            return Optional.empty();
        }
        return Optional.of(queueUrl.substring(0, queueUrl.length() - queue[5].length()) + sibling[5]);
    }

    private static Map<String, MessageAttributeValue> attributeValues(Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = new HashMap<>();
        attributes.forEach((name, value) -> values.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return values;
    }
}
