package org.lrm.xero.handler;

import java.util.Map;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DlqReplay;
import org.lrm.xero.adapter.aws.SqsQueue;

/**
 * The DLQ replay's composition root, for the function operators invoke and for their shell
 * ({@link DlqReplayCommand}): the four work queues and their dead-letter queues, by the names
 * operators use. It keeps no time and calls no Xero, so it takes no clock or waiter.
 */
public final class DlqReplayRoot {

    private final Settings settings;
    private final AwsClients aws;

    private DlqReplayRoot(Settings settings, AwsClients aws) {
        this.settings = settings;
        this.aws = aws;
    }

    /** As Lambda runs it: the function's settings. */
    public static DlqReplayRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings));
    }

    /** For tests, the local run and the operators' shell: their own AWS clients. */
    public static DlqReplayRoot of(Settings settings, AwsClients aws) {
        return new DlqReplayRoot(settings, aws);
    }

    public DlqReplay replay() {
        return new DlqReplay(new SqsQueue(aws.sqs()), queues(settings));
    }

    /** The four work queues and their DLQs, by the names operators use. */
    static Map<String, DlqReplay.Queues> queues(Settings settings) {
        return Map.of(
                "learner-sync", new DlqReplay.Queues(settings.learnerSyncQueueUrl(), settings.learnerSyncDlqUrl()),
                "invoice-events", new DlqReplay.Queues(settings.invoiceEventsQueueUrl(), settings.invoiceEventsDlqUrl()),
                "resync-pages", new DlqReplay.Queues(settings.resyncPagesQueueUrl(), settings.resyncPagesDlqUrl()),
                "pdf-fetch", new DlqReplay.Queues(settings.pdfFetchQueueUrl(), settings.pdfFetchDlqUrl()));
    }
}
