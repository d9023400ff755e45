package org.lrm.xero.app.learner;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.lrm.xero.app.NotFound;

/**
 * The LRM merged one learner into another. The surviving learner gets the invoices of both
 * contacts (the merged learner's contact is linked to it), and the merged learner's contact is
 * recorded as one finance should merge in Xero, keeping the surviving learner's contact: the
 * integration never merges or deletes anything in Xero itself.
 */
public final class MergeLearners {

    /** What finance is asked to do in Xero. */
    public record Merged(String contactToMerge, String intoContact) {
    }

    private final LearnerStore learners;
    private final Logbook logbook;
    private final Clock clock;
    private final InvoiceOwnerChange invoices;

    /** Moves the invoices already held for one learner to another (the invoice store provides it). */
    public interface InvoiceOwnerChange {
        int moveInvoices(String orgId, String fromLearnerId, String toLearnerId);
    }

    public MergeLearners(LearnerStore learners, Logbook logbook, InvoiceOwnerChange invoices, Clock clock) {
        this.learners = learners;
        this.logbook = logbook;
        this.invoices = invoices;
        this.clock = clock;
    }

    public Merged merge(String orgId, String learnerId, String intoLearnerId) {
        if (learnerId.equals(intoLearnerId)) {
            throw new IllegalArgumentException("A learner cannot be merged into itself.");
        }
        LearnerRecord merged = learners.find(orgId, learnerId)
                .orElseThrow(() -> NotFound.learner(learnerId));
        LearnerRecord survivor = learners.find(orgId, intoLearnerId)
                .orElseThrow(() -> NotFound.learner(intoLearnerId));
        if (merged.contactId() != null) {
            learners.linkContact(orgId, merged.contactId(), intoLearnerId);
        }
        int moved = invoices.moveInvoices(orgId, learnerId, intoLearnerId);
        learners.recordMerged(orgId, learnerId, intoLearnerId, clock.instant());
        Map<String, String> ids = new HashMap<>();
        if (merged.contactId() != null) {
            ids.put("contactId", merged.contactId());
        }
        if (survivor.contactId() != null) {
            ids.put("intoContactId", survivor.contactId());
        }
        String todo = merged.contactId() == null ? ""
                : " In Xero, merge contact " + merged.contactName() + " into "
                        + (survivor.contactName() == null ? "the surviving learner's contact" : survivor.contactName()) + ".";
        logbook.append(orgId, learnerId, new LogEntry(clock.instant(), "MERGED_INTO",
                "Merged into learner " + intoLearnerId + "." + todo, ids));
        logbook.append(orgId, intoLearnerId, new LogEntry(clock.instant(), "MERGED_FROM",
                "Learner " + learnerId + " merged into this one; " + moved + " invoice(s) moved here." + todo, ids));
        return new Merged(merged.contactId(), survivor.contactId());
    }
}
