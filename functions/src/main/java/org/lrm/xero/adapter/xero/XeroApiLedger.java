package org.lrm.xero.adapter.xero;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.lrm.xero.app.xero.ListSelection;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroPage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.rate.Priority;

/**
 * {@link XeroLedger} over Xero's {@code /Invoices}, {@code /Payments}, {@code /CreditNotes},
 * {@code /Prepayments} and {@code /Overpayments}, every call through the {@link XeroGateway} and
 * every paged read through {@link XeroPages}. How a request becomes calls is decided here only:
 * invoice ids and credit note ids split by {@link FilterChunks}, Xero's largest pages for the
 * re-sync, pages of {@value #WALK_PAGE_SIZE} for the walks through everything changed. What is read
 * for its allocations (credit notes) is read paged: Xero leaves them out of unpaged lists.
 */
public final class XeroApiLedger implements XeroLedger {

    /** Page size of the reads that walk a list to its end (the poll, a contact's invoices). */
    static final int WALK_PAGE_SIZE = 100;

    private final XeroClient xero;
    private final XeroGateway gateway;

    public XeroApiLedger(XeroClient xero, XeroGateway gateway) {
        this.xero = xero;
        this.gateway = gateway;
    }

    @Override
    public void invoicesByIds(XeroTenant tenant, Priority priority, Collection<String> invoiceIds,
            Consumer<List<XeroInvoice>> each) {
        // Unpaged: an invoice's payments and credits are in Xero's list; its line items, left out, are not needed.
        for (List<String> chunk : FilterChunks.of(invoiceIds, c -> InvoiceQuery.byIds(c).queryString())) {
            each.accept(invoices(gateway.call(tenant, priority, "GET Invoices by IDs",
                    call -> xero.getInvoices(call, InvoiceQuery.byIds(chunk)))));
        }
    }

    @Override
    public List<XeroInvoice> invoicesOfContact(XeroTenant tenant, Priority priority, String contactId) {
        String operation = "GET Invoices by ContactIDs";
        InvoiceQuery query = InvoiceQuery.all().withContactIds(List.of(contactId));
        return invoices(XeroGateway.valueOf(operation, XeroPages.of(WALK_PAGE_SIZE, (p, size) -> gateway.attempt(tenant,
                priority, operation, call -> xero.getInvoices(call, query.withPage(p, size)))).all()));
    }

    @Override
    public XeroPage<XeroInvoice> invoicePage(XeroTenant tenant, Priority priority, ListSelection selection, int page) {
        String operation = "GET Invoices page";
        InvoiceQuery query = selection instanceof ListSelection.Dated dated ? InvoiceQuery.all().withWhere(dateRange(dated))
                : InvoiceQuery.all().withModifiedSince(((ListSelection.ChangedSince) selection).since());
        XeroPage<Invoice> read = XeroGateway.valueOf(operation, XeroPages.startingAt(page, Paging.MAX_PAGE_SIZE,
                (p, size) -> gateway.attempt(tenant, priority, operation, call -> xero.getInvoices(call, query.withPage(p, size))))
                .readPage());
        return new XeroPage<>(invoices(read.items()), read.more());
    }

    @Override
    public XeroPage<TouchedInvoices> transactionPage(XeroTenant tenant, Priority priority, TransactionList list,
            ListSelection selection, int page) {
        String operation = "GET " + list.collection() + " page";
        TransactionQuery query = selection instanceof ListSelection.Dated dated
                ? TransactionQuery.all().withWhere(dateRange(dated))
                : TransactionQuery.all().withModifiedSince(((ListSelection.ChangedSince) selection).since());
        return XeroGateway.valueOf(operation, XeroPages.startingAt(page, Paging.MAX_PAGE_SIZE,
                (p, size) -> gateway.attempt(tenant, priority, operation, call -> touching(call, list, query.withPage(p, size))))
                .readPage());
    }

    @Override
    public List<TouchedInvoices> changedSince(XeroTenant tenant, Priority priority, TransactionList list, Instant since) {
        String operation = "GET " + list.collection() + " modified";
        TransactionQuery query = TransactionQuery.all().withModifiedSince(since);
        return XeroGateway.valueOf(operation, XeroPages.of(WALK_PAGE_SIZE, (p, size) -> gateway.attempt(tenant, priority,
                operation, call -> touching(call, list, query.withPage(p, size)))).all());
    }

    @Override
    public Set<String> invoicesCredited(XeroTenant tenant, Priority priority, Collection<String> creditNoteIds) {
        List<String> ids = creditNoteIds.stream().filter(Where::isGuid).toList();
        String operation = "GET CreditNotes by ID";
        Set<String> invoiceIds = new LinkedHashSet<>();
        for (List<String> chunk : FilterChunks.of(ids, c -> byCreditNoteIds(c).withPage(1, WALK_PAGE_SIZE).queryString())) {
            TransactionQuery query = byCreditNoteIds(chunk);
            List<CreditNote> notes = XeroGateway.valueOf(operation, XeroPages.of(WALK_PAGE_SIZE, (p, size) -> gateway.attempt(
                    tenant, priority, operation, call -> xero.getCreditNotes(call, query.withPage(p, size)))).all());
            notes.forEach(note -> invoiceIds.addAll(InvoiceTouches.of(note).invoiceIds()));
        }
        return invoiceIds;
    }

    private static TransactionQuery byCreditNoteIds(List<String> creditNoteIds) {
        return TransactionQuery.all().withWhere(Where.guidIn("CreditNoteID", creditNoteIds));
    }

    /** One page of a list, as the invoices each element touches. */
    private XeroResult<List<TouchedInvoices>> touching(XeroCall call, TransactionList list, TransactionQuery query) {
        return switch (list) {
            case PAYMENTS -> xero.getPayments(call, query).map(l -> l.stream().map(InvoiceTouches::of).toList());
            case CREDIT_NOTES -> xero.getCreditNotes(call, query).map(l -> l.stream().map(InvoiceTouches::of).toList());
            case PREPAYMENTS -> xero.getPrepayments(call, query).map(l -> l.stream().map(InvoiceTouches::of).toList());
            case OVERPAYMENTS -> xero.getOverpayments(call, query).map(l -> l.stream().map(InvoiceTouches::of).toList());
            case INVOICES -> xero.getInvoices(call, InvoiceQuery.all().withWhere(query.where())
                    .withModifiedSince(query.modifiedSince()).withPage(query.page(), query.pageSize()))
                    .map(l -> l.stream().map(InvoiceTouches::of).toList());
        };
    }

    /** The range's dates, {@code to} included: Xero's filter takes an exclusive end. */
    private static String dateRange(ListSelection.Dated dated) {
        return Where.dateRange("Date", dated.from(), dated.to().plusDays(1));
    }

    private static List<XeroInvoice> invoices(List<Invoice> invoices) {
        return invoices.stream().map(Invoice::toXeroInvoice).toList();
    }
}
