package org.lrm.xero.domain.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.domain.learner.Enrolment;

/**
 * What finance must invoice: the learners synced or changed since a time, with their enrolments
 * and their Xero contact, plus the contacts finance should merge in Xero after LRM merges.
 */
public record FinanceReport(Instant since, Instant generatedAt, List<Line> learners, List<ContactMerge> contactsToMerge) {

    /** One learner of the report. */
    public record Line(String learnerId, String refInternal, String firstName, String lastName, String email,
                       boolean syncToXero, String syncState, String contactId, String contactName,
                       Instant updatedAt, List<Enrolment> enrolments) {
    }

    /** A contact left behind by an LRM merge, to be merged in Xero into the surviving learner's contact. */
    public record ContactMerge(String learnerId, String intoLearnerId, String contactId, String intoContactId) {
    }

    static final List<String> CSV_HEADER = List.of("learnerId", "refInternal", "firstName", "lastName", "email",
            "syncToXero", "syncState", "xeroContactId", "xeroContactName", "updatedAt",
            "enrolmentId", "course", "startDate", "enrolmentStatus");

    /** One row per enrolment (one for a learner without any), so finance can invoice from it directly. */
    public String toCsv() {
        StringBuilder out = new StringBuilder(Csv.row(CSV_HEADER));
        for (Line l : learners) {
            List<Enrolment> enrolments = l.enrolments().isEmpty() ? java.util.Collections.singletonList(null) : l.enrolments();
            for (Enrolment e : enrolments) {
                List<String> cells = new ArrayList<>(List.of(l.learnerId(), l.refInternal(), l.firstName(), l.lastName()));
                cells.add(l.email());
                cells.add(Boolean.toString(l.syncToXero()));
                cells.add(l.syncState());
                cells.add(l.contactId());
                cells.add(l.contactName());
                cells.add(l.updatedAt() == null ? null : l.updatedAt().toString());
                cells.add(e == null ? null : e.enrolmentId());
                cells.add(e == null ? null : e.course());
                cells.add(e == null || e.startDate() == null ? null : e.startDate().toString());
                cells.add(e == null ? null : e.status());
                out.append(Csv.row(cells));
            }
        }
        return out.toString();
    }
}
