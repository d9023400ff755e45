package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqsQueueTest {

    private static final String QUEUE_URL = "https://sqs.ap-southeast-2.amazonaws.com/123456789012/lrm-xero-prod-learner-sync";
    private static final String QUEUE_ARN = "arn:aws:sqs:ap-southeast-2:123456789012:lrm-xero-prod-learner-sync";

    @Test
    void aDeadLetterQueueBesideTheQueueHasItsUrlWithoutACall() {
        assertThat(SqsQueue.siblingUrl(QUEUE_URL, QUEUE_ARN, "arn:aws:sqs:ap-southeast-2:123456789012:lrm-xero-prod-learner-sync-dlq"))
                .contains("https://sqs.ap-southeast-2.amazonaws.com/123456789012/lrm-xero-prod-learner-sync-dlq");
        // An emulator's URLs have the same shape behind another endpoint.
        assertThat(SqsQueue.siblingUrl("http://localhost:5000/123456789012/q", "arn:aws:sqs:us-east-1:123456789012:q",
                "arn:aws:sqs:us-east-1:123456789012:q-dlq")).contains("http://localhost:5000/123456789012/q-dlq");
    }

    @Test
    void aDeadLetterQueueInAnotherAccountOrRegionIsLookedUp() {
        assertThat(SqsQueue.siblingUrl(QUEUE_URL, QUEUE_ARN, "arn:aws:sqs:ap-southeast-2:210987654321:dlq")).isEmpty();
        assertThat(SqsQueue.siblingUrl(QUEUE_URL, QUEUE_ARN, "arn:aws:sqs:us-east-1:123456789012:dlq")).isEmpty();
        assertThat(SqsQueue.siblingUrl(QUEUE_URL, null, "arn:aws:sqs:ap-southeast-2:123456789012:dlq")).isEmpty();
        assertThat(SqsQueue.siblingUrl("https://example.org/other/path", QUEUE_ARN, "arn:aws:sqs:ap-southeast-2:123456789012:dlq")).isEmpty();
    }
}
