package org.lrm.xero.app.xero;

import java.time.Instant;
import java.util.List;

/**
 * One element of a {@link TransactionList} as the integration needs it: the invoices it touches
 * (a payment its invoice, a credit note, prepayment or overpayment those it is allocated to, an
 * invoice itself) and when Xero last changed it (its UpdatedDateUTC, Xero's clock).
 */
public record TouchedInvoices(List<String> invoiceIds, Instant updatedAt) {

    public TouchedInvoices {
        invoiceIds = List.copyOf(invoiceIds);
    }
}
