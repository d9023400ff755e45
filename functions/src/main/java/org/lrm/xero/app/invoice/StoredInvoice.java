package org.lrm.xero.app.invoice;

import org.lrm.xero.domain.invoice.LearnerInvoice;

/**
 * A learner's invoice as stored, with the PDF of which version is in the bucket.
 *
 * @param pdfVersion the invoice version ({@link LearnerInvoice#version()}) whose PDF is stored; null when none is
 * @param pdfKey the PDF's object key in the private bucket; null when none is stored
 */
public record StoredInvoice(String learnerId, LearnerInvoice invoice, Long pdfVersion, String pdfKey) {

    /** The PDF of the invoice as it is now is stored. */
    public boolean pdfAvailable() {
        return pdfVersion != null && pdfVersion == invoice.version() && pdfKey != null;
    }
}
