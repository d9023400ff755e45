package org.lrm.xero.handler;

import java.time.Clock;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.DynamoPollPlans;
import org.lrm.xero.adapter.aws.DynamoPollWatermarks;
import org.lrm.xero.adapter.aws.S3PdfStore;
import org.lrm.xero.adapter.aws.SecretsManagerWebhookKey;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorkQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.invoice.ContactChanges;
import org.lrm.xero.app.invoice.InvoiceEvents;
import org.lrm.xero.app.invoice.InvoicePdfs;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.LearnerInvoices;
import org.lrm.xero.app.invoice.PdfStore;
import org.lrm.xero.app.invoice.PollPlans;
import org.lrm.xero.app.invoice.PollTransactions;
import org.lrm.xero.app.invoice.ReceiveWebhook;
import org.lrm.xero.app.invoice.SchedulePolls;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkProcessor;

/**
 * The invoice functions' composition root: the webhook receiver, the invoice worker, the
 * transaction poll's schedule and the polls it queues, the PDF worker and the invoice API. The worker, the poll's events and the
 * re-sync share one {@link InvoicePath}: one way for every invoice change. Each function builds
 * only what it uses, once per cold start; plain constructors, no DI framework.
 */
public final class InvoiceRoot {

    private final Settings settings;
    private final AwsClients aws;
    private final Clock clock;
    private final Waiter waiter;

    private InvoiceRoot(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        this.settings = settings;
        this.aws = aws;
        this.clock = clock;
        this.waiter = waiter;
    }

    /** As Lambda runs it: the function's settings, the system clock, back-off while another instance refreshes. */
    public static InvoiceRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings), Clock.systemUTC(), Waiter.backoff());
    }

    /** For tests, the local run and the benchmark: their own AWS clients, clock and waiter. */
    public static InvoiceRoot of(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        return new InvoiceRoot(settings, aws, clock, waiter);
    }

    public Settings settings() {
        return settings;
    }

    /** The webhook receiver's use case: Xero's deliveries checked and queued; Xero is not called. */
    public ReceiveWebhook receiveWebhook() {
        return new ReceiveWebhook(new SecretsManagerWebhookKey(aws.secretsManager(), settings.xeroWebhookKeySecretId(), clock),
                new DynamoConnectionStore(aws.dynamoDb(), settings.tableName())::findOrgByTenant, invoiceEvents(), clock);
    }

    /** The invoice worker: webhook events and polled invoice ids, per organisation, through the invoice path. */
    public SqsWorker eventsWorker(DeferralPolicy deferrals) {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        InvoicePath path = path(xero);
        InvoiceEvents events = new InvoiceEvents(xero.connection().store(), path.invoices(), path.updates(),
                path.contactChanges(), xero.ledger(), pollPlans(), clock);
        return Wiring.worker(aws, settings.invoiceEventsQueueUrl(), events, deferrals, clock);
    }

    /** The poll schedule: each organisation's due transaction poll queued on the scheduled-work queue; Xero is not called. */
    public SchedulePolls schedule() {
        return new SchedulePolls(DynamoConnectionStore.readByIndex(aws.dynamoDb(), settings.tableName()), pollPlans(),
                scheduledWork(), clock);
    }

    /** One organisation's transaction poll: its payments, prepayments and overpayments, as invoice events. */
    public PollTransactions poll() {
        return poll(XeroParts.of(settings, aws, clock, waiter));
    }

    /** The transaction poll over {@code xero}: also the scheduled-work worker's ({@link ResyncRoot}). */
    PollTransactions poll(XeroParts xero) {
        return new PollTransactions(xero.connection().store(), xero.ledger(),
                new DynamoPollWatermarks(aws.dynamoDb(), settings.tableName()), pollPlans(), invoiceEvents(),
                Wiring.rateBudget(settings, aws, clock), clock);
    }

    /** The PDF worker: each new invoice version's PDF into the private bucket, at prefetch priority. */
    public SqsWorker pdfWorker(DeferralPolicy deferrals) {
        return Wiring.worker(aws, settings.pdfFetchQueueUrl(), WorkProcessor.perMessage(pdfs()::fetchQueued), deferrals, clock);
    }

    /** The invoice PDFs as the PDF worker builds them (the benchmark records the order they are stored in). */
    public InvoicePdfs pdfs() {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        return new InvoicePdfs(new DynamoInvoiceStore(aws.dynamoDb(), settings.tableName()), pdfStore(),
                xero.connection().store(), xero.pdfs(), clock);
    }

    /** The invoice path's updates as the worker builds them (the benchmark stores its invoices through them). */
    public InvoiceUpdates updates() {
        return path(XeroParts.of(settings, aws, clock, waiter)).updates();
    }

    /** The invoice API's use case: a learner's invoices, and links to their PDFs (fetched from Xero when missing). */
    public LearnerInvoices learnerInvoices() {
        XeroParts xero = XeroParts.of(settings, aws, clock, waiter);
        InvoiceStore invoices = new DynamoInvoiceStore(aws.dynamoDb(), settings.tableName());
        PdfStore pdfStore = pdfStore();
        return new LearnerInvoices(new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()), invoices,
                new InvoicePdfs(invoices, pdfStore, xero.connection().store(), xero.pdfs(), clock), pdfStore);
    }

    /** The one path every invoice change takes (webhook, poll, re-sync), and the stores it writes. */
    record InvoicePath(InvoiceStore invoices, LearnerStore learners, Logbook logbook, InvoiceUpdates updates,
                       ContactChanges contactChanges) {
    }

    /** The invoice path over {@code xero}: also the re-sync's ({@link ResyncRoot}). */
    InvoicePath path(XeroParts xero) {
        InvoiceStore invoices = new DynamoInvoiceStore(aws.dynamoDb(), settings.tableName());
        LearnerStore learners = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        Logbook logbook = new DynamoLogbook(aws.dynamoDb(), settings.tableName());
        InvoiceUpdates updates = new InvoiceUpdates(xero.ledger(), learners, invoices, logbook,
                new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.pdfFetchQueueUrl()), settings.pdfsPerMessage(), clock);
        return new InvoicePath(invoices, learners, logbook, updates,
                new ContactChanges(xero.contacts(), xero.ledger(), learners, logbook, updates, clock));
    }

    /** The queue the schedules put per-organisation work on (polls, idle token refreshes). */
    SqsWorkQueue scheduledWork() {
        return new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.scheduledWorkQueueUrl());
    }

    private PollPlans pollPlans() {
        return new DynamoPollPlans(aws.dynamoDb(), settings.tableName());
    }

    private SqsWorkQueue invoiceEvents() {
        return new SqsWorkQueue(new SqsQueue(aws.sqs()), settings.invoiceEventsQueueUrl());
    }

    private PdfStore pdfStore() {
        return new S3PdfStore(aws.s3(), aws.s3Presigner(), settings.pdfBucket());
    }
}
