package org.lrm.xero.app;

/**
 * What was asked for is not there: no such learner in the organisation, no such invoice for the
 * learner, or Xero no longer has the invoice. The HTTP API answers it 404 with this message, so
 * the message names the missing thing for the caller and never holds anything internal.
 */
public final class NotFound extends RuntimeException {

    public NotFound(String message) {
        super(message, null, false, false);
    }

    /** The learner is not one of the organisation's. */
    public static NotFound learner(String learnerId) {
        return new NotFound("No learner " + learnerId + ".");
    }
}
