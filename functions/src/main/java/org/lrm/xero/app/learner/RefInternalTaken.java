package org.lrm.xero.app.learner;

/**
 * Another learner of the organisation already has this RefInternal. Xero identifies the contact by
 * it (ContactNumber), so two learners may never share one.
 */
public final class RefInternalTaken extends RuntimeException {

    private final String refInternal;

    public RefInternalTaken(String refInternal) {
        super("RefInternal " + refInternal + " belongs to another learner of this organisation");
        this.refInternal = refInternal;
    }

    public String refInternal() {
        return refInternal;
    }
}
