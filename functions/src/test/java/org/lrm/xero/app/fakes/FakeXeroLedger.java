package org.lrm.xero.app.fakes;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * Xero's sales ledger in memory: invoices, and payments, credit notes, prepayments and overpayments
 * as the invoices they touch. Calls are counted as Xero would count them ({@value #IDS_PER_CALL} ids
 * to a call, pages of the sizes set); a test can make the next calls fail ({@link #failNext}).
 */
public final class FakeXeroLedger implements XeroLedger {

    static final int IDS_PER_CALL = 50;

    /** One call, as a test checks it. */
    public record Call(String method, XeroTenant tenant, Priority priority, String detail) {
    }

    private record Transaction(TouchedInvoices touches, LocalDate date, String id) {
    }

    private final Map<String, XeroInvoice> invoices = new LinkedHashMap<>();
    private final Map<TransactionList, List<Transaction>> transactions = new EnumMap<>(TransactionList.class);
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Optional<RuntimeException>> script = new ArrayDeque<>();
    private int pageSize = 1000;
    private int walkPageSize = 100;

    /** A sales invoice of 100.00 raised on {@code contactId}. */
    public static XeroInvoice salesInvoice(String invoiceId, String contactId, LocalDate date, Instant updatedAt,
            String status) {
        return new XeroInvoice(invoiceId, "INV-" + invoiceId, null, XeroInvoice.SALES_INVOICE, status, contactId, date,
                date.plusDays(30), "AUD", new BigDecimal("100.00"), "PAID".equals(status) ? BigDecimal.ZERO
                : new BigDecimal("100.00"), "PAID".equals(status) ? new BigDecimal("100.00") : BigDecimal.ZERO,
                BigDecimal.ZERO, updatedAt, List.of(), List.of(), List.of(), List.of());
    }

    public void put(XeroInvoice invoice) {
        invoices.put(invoice.invoiceId(), invoice);
    }

    /** An element of {@code list} (not INVOICES) that touches these invoices. */
    public void transaction(TransactionList list, String id, LocalDate date, Instant updatedAt, String... invoiceIds) {
        transactions.computeIfAbsent(list, l -> new ArrayList<>())
                .add(new Transaction(new TouchedInvoices(List.of(invoiceIds), updatedAt), date, id));
    }

    /** The next call not yet scripted throws {@code failure}, before doing anything. */
    public void failNext(RuntimeException failure) {
        script.add(Optional.of(failure));
    }

    /** The next call not yet scripted is answered as usual (to script a failure after it). */
    public void answerNext() {
        script.add(Optional.empty());
    }

    /** Page size of {@link #invoicePage} and {@link #transactionPage} (Xero's largest: 1,000). */
    public void pageSize(int size) {
        this.pageSize = size;
    }

    /** Page size of the walks ({@link #changedSince}, {@link #invoicesOfContact}). */
    public void walkPageSize(int size) {
        this.walkPageSize = size;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    @Override
    public void invoicesByIds(XeroTenant tenant, Priority priority, Collection<String> invoiceIds,
            Consumer<List<XeroInvoice>> each) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(invoiceIds));
        for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
            List<String> chunk = ids.subList(i, Math.min(i + IDS_PER_CALL, ids.size()));
            call("invoicesByIds", tenant, priority, String.join(",", chunk));
            each.accept(chunk.stream().map(invoices::get).filter(Objects::nonNull).toList());
        }
    }

    @Override
    public List<XeroInvoice> invoicesOfContact(XeroTenant tenant, Priority priority, String contactId) {
        List<XeroInvoice> theirs = invoices.values().stream().filter(i -> contactId.equals(i.contactId())).toList();
        for (int page = 1; page <= FakePages.calls(theirs.size(), walkPageSize); page++) {
            call("invoicesOfContact", tenant, priority, contactId + "#" + page);
        }
        return theirs;
    }

    @Override
    public XeroPage<XeroInvoice> invoicePage(XeroTenant tenant, Priority priority, ListSelection selection, int page) {
        call("invoicePage", tenant, priority, selection + "#" + page);
        List<XeroInvoice> selected = invoices.values().stream()
                .filter(i -> selected(selection, i.date(), i.updatedAt()))
                .sorted(Comparator.comparing(XeroInvoice::invoiceId)).toList();
        return FakePages.page(selected, page, pageSize);
    }

    @Override
    public XeroPage<TouchedInvoices> transactionPage(XeroTenant tenant, Priority priority, TransactionList list,
            ListSelection selection, int page) {
        call("transactionPage", tenant, priority, list.collection() + "#" + page);
        return FakePages.page(elements(list).stream().filter(t -> selected(selection, t.date(), t.touches().updatedAt()))
                .map(Transaction::touches).toList(), page, pageSize);
    }

    @Override
    public List<TouchedInvoices> changedSince(XeroTenant tenant, Priority priority, TransactionList list, Instant since) {
        List<TouchedInvoices> changed = elements(list).stream()
                .filter(t -> since == null || !t.touches().updatedAt().isBefore(since)).map(Transaction::touches).toList();
        for (int page = 1; page <= FakePages.calls(changed.size(), walkPageSize); page++) {
            call("changedSince", tenant, priority, list.collection() + "#" + page);
        }
        return changed;
    }

    @Override
    public Set<String> invoicesCredited(XeroTenant tenant, Priority priority, Collection<String> creditNoteIds) {
        call("invoicesCredited", tenant, priority, String.join(",", creditNoteIds));
        Set<String> touched = new LinkedHashSet<>();
        elements(TransactionList.CREDIT_NOTES).stream().filter(t -> creditNoteIds.contains(t.id()))
                .forEach(t -> touched.addAll(t.touches().invoiceIds()));
        return touched;
    }

    private List<Transaction> elements(TransactionList list) {
        if (list == TransactionList.INVOICES) {
            return invoices.values().stream().map(i -> new Transaction(new TouchedInvoices(List.of(i.invoiceId()),
                    i.updatedAt()), i.date(), i.invoiceId())).toList();
        }
        return transactions.getOrDefault(list, List.of());
    }

    private static boolean selected(ListSelection selection, LocalDate date, Instant updatedAt) {
        if (selection instanceof ListSelection.Dated dated) {
            return date != null && !date.isBefore(dated.from()) && !date.isAfter(dated.to());
        }
        return !updatedAt.isBefore(((ListSelection.ChangedSince) selection).since());
    }

    private void call(String method, XeroTenant tenant, Priority priority, String detail) {
        calls.add(new Call(method, tenant, priority, detail));
        Optional<RuntimeException> scripted = script.poll();
        if (scripted != null && scripted.isPresent()) {
            throw scripted.get();
        }
    }
}
