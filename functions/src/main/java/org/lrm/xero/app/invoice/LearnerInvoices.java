package org.lrm.xero.app.invoice;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.domain.rate.Priority;

/** What the LRM and the Learner App read: a learner's invoices and a short-lived link to one's PDF. */
public final class LearnerInvoices {

    /** Presigned PDF links live at most this long. */
    public static final Duration LINK_LIFETIME = Duration.ofMinutes(5);

    private final LearnerStore learners;
    private final InvoiceStore invoices;
    private final InvoicePdfs pdfs;
    private final PdfStore pdfStore;

    public LearnerInvoices(LearnerStore learners, InvoiceStore invoices, InvoicePdfs pdfs, PdfStore pdfStore) {
        this.learners = learners;
        this.invoices = invoices;
        this.pdfs = pdfs;
        this.pdfStore = pdfStore;
    }

    /** @throws NotFound no such learner in the organisation */
    public List<StoredInvoice> list(String orgId, String learnerId) {
        learners.find(orgId, learnerId).orElseThrow(() -> NotFound.learner(learnerId));
        return invoices.ofLearner(orgId, learnerId);
    }

    /**
     * A link to the PDF of the learner's invoice as it is now; fetched from Xero at interactive
     * priority when the PDF worker has not stored it yet.
     *
     * @throws NotFound the invoice is not this learner's, or Xero no longer has it
     */
    public URI pdfLink(String orgId, String learnerId, String invoiceId) {
        StoredInvoice stored = invoices.find(orgId, invoiceId)
                .filter(s -> s.learnerId().equals(learnerId))
                .orElseThrow(() -> new NotFound("No invoice " + invoiceId + " for learner " + learnerId + "."));
        return pdfStore.presignedGet(pdfs.currentPdf(orgId, stored, Priority.INTERACTIVE), LINK_LIFETIME);
    }
}
