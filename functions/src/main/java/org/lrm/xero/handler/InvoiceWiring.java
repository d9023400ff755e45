package org.lrm.xero.handler;

import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.DynamoPollWatermarks;
import org.lrm.xero.adapter.aws.DynamoRateBudget;
import org.lrm.xero.adapter.aws.S3PdfStore;
import org.lrm.xero.adapter.aws.SqsWorkQueue;
import org.lrm.xero.app.invoice.ContactChanges;
import org.lrm.xero.app.invoice.InvoiceEvents;
import org.lrm.xero.app.invoice.InvoicePdfs;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.LearnerInvoices;
import org.lrm.xero.app.invoice.PdfStore;
import org.lrm.xero.app.invoice.PollTransactions;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;

/**
 * The invoice functions' composition root (webhook worker, transaction poll, PDF worker, invoice
 * API): their stores and use cases over one {@link XeroWork}, built once per cold start. The
 * worker and the poll share one {@link InvoiceUpdates}: one path for every invoice change.
 */
record InvoiceWiring(XeroWork work, InvoiceUpdates updates, InvoiceEvents events, PollTransactions poll,
                     InvoicePdfs pdfs, LearnerInvoices learnerInvoices) {

    static InvoiceWiring create(XeroWork work) {
        Settings settings = work.settings();
        String table = settings.tableName();
        InvoiceStore invoices = new DynamoInvoiceStore(work.aws().dynamoDb(), table);
        LearnerStore learners = new DynamoLearnerStore(work.aws().dynamoDb(), table);
        Logbook logbook = new DynamoLogbook(work.aws().dynamoDb(), table);
        PdfStore pdfStore = new S3PdfStore(work.aws().s3(), work.aws().s3Presigner(), settings.pdfBucket());
        var connections = work.connection().store();
        InvoiceUpdates updates = new InvoiceUpdates(work.ledger(), learners, invoices, logbook,
                new SqsWorkQueue(work.sqs(), settings.pdfFetchQueueUrl()), work.clock());
        ContactChanges contacts = new ContactChanges(work.contacts(), work.ledger(), learners, logbook, updates, work.clock());
        InvoicePdfs pdfs = new InvoicePdfs(invoices, pdfStore, connections, work.pdfs());
        return new InvoiceWiring(work, updates,
                new InvoiceEvents(connections, invoices, updates, contacts, work.ledger(), work.clock()),
                new PollTransactions(connections, work.ledger(), new DynamoPollWatermarks(work.aws().dynamoDb(), table),
                        new SqsWorkQueue(work.sqs(), settings.invoiceEventsQueueUrl()),
                        new DynamoRateBudget(work.aws().dynamoDb(), settings.budgetTableName(),
                                new RatePolicy(RateLimits.xero(settings.bulkDayReservePercent())), work.clock()), work.clock()),
                pdfs, new LearnerInvoices(learners, invoices, pdfs, pdfStore));
    }
}
