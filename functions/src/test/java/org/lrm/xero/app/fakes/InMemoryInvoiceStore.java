package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.domain.invoice.LearnerInvoice;

/**
 * {@link InvoiceStore} in memory, with DynamoInvoiceStore's condition: an invoice is written unless
 * the same or a newer version is held for the same learner; the stored PDF is kept.
 */
public final class InMemoryInvoiceStore implements InvoiceStore {

    private final Map<String, Map<String, StoredInvoice>> invoices = new HashMap<>();
    private final Set<String> processed = new HashSet<>();

    @Override
    public Optional<StoredInvoice> find(String orgId, String invoiceId) {
        return Optional.ofNullable(of(orgId).get(invoiceId));
    }

    @Override
    public Map<String, StoredInvoice> findAll(String orgId, Collection<String> invoiceIds) {
        Map<String, StoredInvoice> found = new HashMap<>();
        invoiceIds.forEach(id -> find(orgId, id).ifPresent(s -> found.put(id, s)));
        return found;
    }

    @Override
    public Set<String> saveAll(String orgId, List<Owned> batch) {
        Set<String> written = new LinkedHashSet<>();
        for (Owned owned : batch) {
            LearnerInvoice invoice = owned.invoice();
            StoredInvoice held = of(orgId).get(invoice.invoiceId());
            boolean write = held == null || held.invoice().version() < invoice.version()
                    || (held.invoice().version() == invoice.version() && !held.learnerId().equals(owned.learnerId()));
            if (write) {
                of(orgId).put(invoice.invoiceId(), new StoredInvoice(owned.learnerId(), invoice,
                        held == null ? null : held.pdfVersion(), held == null ? null : held.pdfKey()));
                written.add(invoice.invoiceId());
            }
        }
        return written;
    }

    @Override
    public List<StoredInvoice> ofLearner(String orgId, String learnerId) {
        return of(orgId).values().stream().filter(s -> s.learnerId().equals(learnerId))
                .sorted(Comparator.comparing((StoredInvoice s) -> s.invoice().date() == null ? "0000-00-00"
                        : s.invoice().date().toString()).thenComparing(s -> s.invoice().invoiceId()).reversed())
                .toList();
    }

    @Override
    public boolean recordPdf(String orgId, String invoiceId, long version, String objectKey) {
        StoredInvoice held = of(orgId).get(invoiceId);
        if (held == null || held.invoice().version() != version) {
            return false;
        }
        of(orgId).put(invoiceId, new StoredInvoice(held.learnerId(), held.invoice(), version, objectKey));
        return true;
    }

    @Override
    public int moveInvoices(String orgId, String fromLearnerId, String toLearnerId) {
        int moved = 0;
        for (StoredInvoice s : ofLearner(orgId, fromLearnerId)) {
            of(orgId).put(s.invoice().invoiceId(), new StoredInvoice(toLearnerId, s.invoice(), s.pdfVersion(), s.pdfKey()));
            moved++;
        }
        return moved;
    }

    @Override
    public Set<String> processedEvents(String orgId, Collection<String> eventKeys) {
        Set<String> found = new HashSet<>();
        eventKeys.forEach(k -> {
            if (processed.contains(orgId + "/" + k)) {
                found.add(k);
            }
        });
        return found;
    }

    @Override
    public void markEventsProcessed(String orgId, Collection<String> eventKeys, Instant now) {
        eventKeys.forEach(k -> processed.add(orgId + "/" + k));
    }

    /** Every invoice held for the organisation. */
    public Map<String, StoredInvoice> of(String orgId) {
        return invoices.computeIfAbsent(orgId, o -> new HashMap<>());
    }
}
