package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.work.DeferralPolicy;

/** The PDF-fetch queue's consumer: each new invoice version's PDF into the private bucket, at bulk priority. */
public final class PdfWorker extends JsonEventHandler<SQSEvent, SQSBatchResponse> {

    private final SqsWorker worker;

    /** Lambda's entry: wired from the environment. */
    public PdfWorker() {
        this(InvoiceRoot.fromEnvironment(), DeferralPolicy.standard());
    }

    public PdfWorker(InvoiceRoot root, DeferralPolicy deferrals) {
        super(SQSEvent.class);
        this.worker = root.pdfWorker(deferrals);
        primeWith("empty batch", PrimingEvents.emptyBatch(), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return worker.handle(event);
    }
}
