package org.lrm.xero.handler;

import org.lrm.xero.support.Environment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DlqReplay;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.support.Json;

/**
 * Invoked by operators: {@code {"queue":"learner-sync","orgId":null,"kind":null,"reason":null,"dryRun":true,"max":1000}}
 * answers {@code {"matched":..,"moved":..,"skipped":..}}. A missing dryRun is a dry run.
 */
public final class DlqReplayHandler implements RequestStreamHandler {

    private final DlqReplay replay;

    public DlqReplayHandler() {
        // No DynamoDB: the replay only moves messages between queues.
        this(Settings.fromEnvironment(Environment.current()), new SqsQueue(AwsClients.fromEnvironment(Environment.current()).sqs()));
    }

    private DlqReplayHandler(Settings settings, SqsQueue sqs) {
        this(new DlqReplay(sqs, queues(settings)));
        SnapStartPriming.replay(this, sqs, settings.learnerSyncDlqUrl());
    }

    public DlqReplayHandler(DlqReplay replay) {
        this.replay = replay;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ReplayRequest request = Json.STRICT.readValue(input, ReplayRequest.class);
        ReplayCounts counts = replay.replay(request);
        Json.MAPPER.writeValue(output, counts);
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
