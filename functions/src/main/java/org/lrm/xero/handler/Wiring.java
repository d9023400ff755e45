package org.lrm.xero.handler;

import java.util.function.Predicate;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.learner.MergeLearners;

/** Pieces several composition roots share. */
final class Wiring {

    private Wiring() {
    }

    /** Whether an organisation's Xero connection is usable ({@link ConnectionStore#usable}). */
    static Predicate<String> orgConnected(ConnectionStore connections) {
        return orgId -> connections.usable(orgId).isPresent();
    }

    /** Moves stored invoices between learners after an LRM merge: the invoice store does it. */
    static MergeLearners.InvoiceOwnerChange invoiceOwnerChange(Settings settings, AwsClients aws) {
        return new DynamoInvoiceStore(aws.dynamoDb(), settings.tableName());
    }
}
