package org.lrm.xero.app.xero;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.rate.Priority;

/**
 * Xero's sales ledger as the integration reads it: invoices, and what pays or credits them. Calls
 * are made within the tenant's call budget at {@code priority}, with the organisation's access
 * token; each may throw {@link org.lrm.xero.app.rate.WaitForBudget}, {@link ConnectionUnavailable}
 * or {@link XeroCallFailed}. How a request is split into calls (ids per call, page sizes) is the
 * implementation's.
 */
public interface XeroLedger {

    /**
     * The invoices with these ids, fetched in as few calls as Xero allows; each call's invoices are
     * handed to {@code each} before the next call is made, so what was fetched is kept when a later
     * call has to wait.
     */
    void invoicesByIds(XeroTenant tenant, Priority priority, Collection<String> invoiceIds, Consumer<List<XeroInvoice>> each);

    /** Every invoice raised on a contact, all pages. */
    List<XeroInvoice> invoicesOfContact(XeroTenant tenant, Priority priority, String contactId);

    /** One page (Xero's largest) of the invoice list: dated within a range, or changed since an instant. */
    XeroPage<XeroInvoice> invoicePage(XeroTenant tenant, Priority priority, ListSelection selection, int page);

    /** One page (Xero's largest) of a list of payments or credits, as the invoices each element touches. */
    XeroPage<TouchedInvoices> transactionPage(XeroTenant tenant, Priority priority, TransactionList list,
            ListSelection selection, int page);

    /**
     * Every element of a list changed since {@code since} (all pages), as the invoices each touches.
     *
     * @param since null for the whole list
     */
    List<TouchedInvoices> changedSince(XeroTenant tenant, Priority priority, TransactionList list, Instant since);

    /** The invoices these credit notes are allocated to; ids that cannot be Xero's are skipped. */
    Set<String> invoicesCredited(XeroTenant tenant, Priority priority, Collection<String> creditNoteIds);
}
