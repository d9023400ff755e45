package org.lrm.xero.handler;

import java.time.Clock;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;

/**
 * The functions' own composition roots, wired against the benchmark's emulator and clock as the
 * integration tests wire them (they live in this package for the same reason: the roots are
 * package-private so that only handlers and their tests build them).
 */
public final class BenchFunctions {

    private BenchFunctions() {
    }

    /** The learner API as its no-arg constructor builds it, with the benchmark's clock. */
    public static LearnerApiHandler learnerApi(Settings settings, AwsClients aws, Clock clock) {
        return new LearnerApiHandler(LearnerWiring.of(settings, aws,
                Wiring.orgConnected(new DynamoConnectionStore(aws.dynamoDb(), settings.tableName())),
                Wiring.invoiceOwnerChange(settings, aws), clock));
    }

    /** The invoice path every change takes (the worker's and the poll's), over the benchmark's work. */
    public static org.lrm.xero.app.invoice.InvoiceUpdates invoiceUpdates(XeroWork work) {
        return InvoiceWiring.create(work).updates();
    }

    /** The invoice PDFs use case as the PDF worker and the invoice API build it. */
    public static org.lrm.xero.app.invoice.InvoicePdfs invoicePdfs(XeroWork work) {
        return InvoiceWiring.create(work).pdfs();
    }
}
