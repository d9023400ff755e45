package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;

/** The PDF-fetch queue's consumer: each new invoice version's PDF into the private bucket, at prefetch priority (spare budget only). */
public final class PdfWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    public PdfWorker() {
        this(XeroWork.fromEnvironment());
    }

    private PdfWorker(XeroWork work) {
        this(work, DeferralPolicy.standard());
        SnapStartPriming.worker(this, work.aws(), work.settings().pdfFetchQueueUrl());
    }

    public PdfWorker(XeroWork work, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = work.worker(work.settings().pdfFetchQueueUrl(),
                WorkProcessor.perMessage(InvoiceWiring.create(work).pdfs()::fetchQueued), deferrals);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
