package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.invoice.InvoiceProjection;
import org.lrm.xero.domain.invoice.LearnerInvoice;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.invoice.PdfPrefetchOrder;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * The one path by which Xero invoices reach learners' records, whatever brought them (a webhook,
 * the transaction poll, a contact merge, a re-sync): fetch by id (within the rate budget), keep the
 * sales invoices whose contact is linked to a learner, log what changed on the learner's logbook
 * (once per event), store the newer version and queue its PDF.
 */
public final class InvoiceUpdates {

    public static final String PDF_KIND = "invoice-pdf";

    private static final JsonLog LOG = JsonLog.forClass(InvoiceUpdates.class);

    private final XeroLedger xero;
    private final LearnerStore learners;
    private final InvoiceStore invoices;
    private final Logbook logbook;
    private final WorkQueue pdfQueue;
    private final int pdfsPerMessage;
    private final Clock clock;

    public InvoiceUpdates(XeroLedger xero, LearnerStore learners, InvoiceStore invoices, Logbook logbook,
            WorkQueue pdfQueue, Clock clock) {
        this(xero, learners, invoices, logbook, pdfQueue, InvoicePdfs.PDFS_PER_MESSAGE, clock);
    }

    /** @param pdfsPerMessage how many new versions' PDFs one message of the PDF worker names (1: one each, as before #22) */
    public InvoiceUpdates(XeroLedger xero, LearnerStore learners, InvoiceStore invoices, Logbook logbook,
            WorkQueue pdfQueue, int pdfsPerMessage, Clock clock) {
        if (pdfsPerMessage < 1) {
            throw new IllegalArgumentException("pdfsPerMessage must be at least 1");
        }
        this.xero = xero;
        this.learners = learners;
        this.invoices = invoices;
        this.logbook = logbook;
        this.pdfQueue = pdfQueue;
        this.pdfsPerMessage = pdfsPerMessage;
        this.clock = clock;
    }

    /**
     * What applying invoices did.
     *
     * @param changed learner invoice records that changed
     * @param compared learner invoices compared with the version held, changed or not (an
     *     unchanged one keeps its record and its PDF)
     */
    public record Applied(int changed, int compared) {
        static final Applied NONE = new Applied(0, 0);

        Applied plus(Applied other) {
            return new Applied(changed + other.changed, compared + other.compared);
        }
    }

    /** Fetches the invoices by id and applies them. @return what applying them did */
    public Applied refresh(XeroTenant tenant, Priority priority, Collection<String> invoiceIds) {
        Applied[] applied = {Applied.NONE};
        xero.invoicesByIds(tenant, priority, new LinkedHashSet<>(invoiceIds),
                fetched -> applied[0] = applied[0].plus(apply(tenant, fetched)));
        return applied[0];
    }

    /**
     * Applies invoices already fetched from Xero, as one batch: the learners of their contacts, the
     * versions held and the logbook are each read and written a hundred or so items to a request.
     *
     * @return how many learner invoice records changed, and how many were compared
     */
    public Applied apply(XeroTenant tenant, List<XeroInvoice> fetched) {
        String orgId = tenant.orgId();
        String tenantId = tenant.tenantId();
        List<XeroInvoice> sales = fetched.stream().filter(XeroInvoice::raisedOnContact).toList();
        Map<String, String> learnerOfContact = learners.learnersOfContacts(orgId,
                sales.stream().map(XeroInvoice::contactId).collect(Collectors.toSet()));
        Map<String, String> learnerOfInvoice = new HashMap<>();
        sales.forEach(i -> Optional.ofNullable(learnerOfContact.get(i.contactId()))
                .ifPresent(learnerId -> learnerOfInvoice.put(i.invoiceId(), learnerId)));
        Map<String, StoredInvoice> stored = invoices.findAll(orgId, learnerOfInvoice.keySet());

        List<InvoiceStore.Owned> newer = new ArrayList<>();
        List<Logbook.Once> lines = new ArrayList<>();
        for (XeroInvoice invoice : sales) {
            String learnerId = learnerOfInvoice.get(invoice.invoiceId());
            if (learnerId == null) {
                continue;
            }
            LearnerInvoice after = InvoiceProjection.project(invoice);
            StoredInvoice held = stored.get(invoice.invoiceId());
            boolean sameLearner = held != null && held.learnerId().equals(learnerId);
            if (sameLearner && held.invoice().version() >= after.version()) {
                continue;
            }
            newer.add(new InvoiceStore.Owned(learnerId, after));
            for (InvoiceProjection.LogLine line : InvoiceProjection.changes(sameLearner ? held.invoice() : null, after)) {
                lines.add(new Logbook.Once(learnerId, line.key(),
                        new LogEntry(clock.instant(), line.kind(), line.summary(), line.xeroIds())));
            }
        }
        // Logged before the records are written: a crash in between logs nothing twice (appendOnce) and loses nothing.
        logbook.appendOnce(orgId, lines);
        Set<String> written = invoices.saveAll(orgId, newer);
        List<LearnerInvoice> wanted = new ArrayList<>();
        // Queued most worth first: a queue left to itself hands out roughly what came first.
        newer.sort(Comparator.comparing(InvoiceStore.Owned::invoice, PdfPrefetchOrder.MOST_WORTH_FIRST));
        for (InvoiceStore.Owned owned : newer) {
            LearnerInvoice after = owned.invoice();
            if (!written.contains(after.invoiceId())) {
                continue; // the same or a newer version was stored meanwhile
            }
            wanted.add(after);
            LOG.info("invoice.stored", "orgId", orgId, "tenantId", tenantId, "learnerId", owned.learnerId(),
                    "invoiceId", after.invoiceId(), "status", after.status());
        }
        pdfQueue.send(InvoicePdfs.messagesFor(wanted, pdfsPerMessage).stream()
                .map(payload -> WorkMessage.of(PDF_KIND, orgId, tenantId, Priority.PREFETCH, payload)).toList());
        return new Applied(written.size(), learnerOfInvoice.size());
    }
}
