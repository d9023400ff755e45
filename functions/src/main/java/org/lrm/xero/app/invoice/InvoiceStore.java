package org.lrm.xero.app.invoice;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.learner.MergeLearners;
import org.lrm.xero.domain.invoice.LearnerInvoice;

/**
 * Learners' invoices (one record per Xero invoice, under the learner it belongs to) and the
 * webhook events already processed. Moving invoices between learners serves LRM merges.
 */
public interface InvoiceStore extends MergeLearners.InvoiceOwnerChange {

    Optional<StoredInvoice> find(String orgId, String invoiceId);

    Map<String, StoredInvoice> findAll(String orgId, Collection<String> invoiceIds);

    /** An invoice as it belongs to a learner. */
    record Owned(String learnerId, LearnerInvoice invoice) {
    }

    /**
     * Stores each invoice under its learner unless the same or a newer version (UpdatedDateUTC) is
     * held for that learner: older data never overwrites newer. The stored PDF is kept.
     *
     * @return the ids of the invoices written
     */
    Set<String> saveAll(String orgId, List<Owned> invoices);

    /** The learner's invoices, newest invoice date first. */
    List<StoredInvoice> ofLearner(String orgId, String learnerId);

    /** Records the stored PDF of {@code version}; false when the invoice has changed since. */
    boolean recordPdf(String orgId, String invoiceId, long version, String objectKey);

    /** Of the given webhook event keys, those already processed. */
    Set<String> processedEvents(String orgId, Collection<String> eventKeys);

    /** Remembers processed webhook events for a while (Xero re-delivers within a day). */
    void markEventsProcessed(String orgId, Collection<String> eventKeys, Instant now);
}
