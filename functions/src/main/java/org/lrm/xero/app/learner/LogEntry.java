package org.lrm.xero.app.learner;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a learner's logbook: every sync, failure, merge and invoice event, with its time and
 * the Xero ids it concerns (contactId, invoiceId, paymentId, …).
 */
public record LogEntry(Instant at, String kind, String summary, Map<String, String> xeroIds) {

    public LogEntry {
        xeroIds = xeroIds == null ? Map.of() : Map.copyOf(xeroIds);
    }
}
