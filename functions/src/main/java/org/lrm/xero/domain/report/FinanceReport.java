package org.lrm.xero.domain.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.domain.learner.Enrolment;

/**
 * What finance must invoice: the learners synced or changed since a time, with their enrolments
 * and their Xero contact, plus the contacts finance should merge in Xero after LRM merges. One page
 * of it: a large organisation's report is read a page at a time, each within {@link #MAX_PAGE_BYTES}.
 */
public record FinanceReport(Instant since, Instant generatedAt, List<Line> learners, List<ContactMerge> contactsToMerge) {

    /** Learners to a page, by default and at most. */
    public static final int MAX_LIMIT = 1_000;
    /**
     * What a page may take, as JSON or CSV, by {@link Line#maxBytes()}: 5,000,000 bytes, under the 6 MB a
     * Lambda answer (and so an API Gateway one) may be, whatever the learners hold.
     */
    public static final int MAX_PAGE_BYTES = 5_000_000;

    /** One learner of the report. */
    public record Line(String learnerId, String refInternal, String firstName, String lastName, String email,
                       boolean syncToXero, String syncState, String contactId, String contactName,
                       Instant updatedAt, List<Enrolment> enrolments) {

        /**
         * The most bytes this learner takes in a page: its CSV rows exactly (one per enrolment, each repeating
         * the learner), or as JSON, its text twice (every character escaped at worst) plus the names and
         * values of its fields, whichever is more.
         */
        public int maxBytes() {
            int csv = csvRows().getBytes(StandardCharsets.UTF_8).length;
            int text = utf8(learnerId) + utf8(refInternal) + utf8(firstName) + utf8(lastName) + utf8(email)
                    + utf8(contactId) + utf8(contactName) + utf8(syncState);
            int json = 2 * text + JSON_LINE_OVERHEAD;
            for (Enrolment e : enrolments) {
                json += 2 * (utf8(e.enrolmentId()) + utf8(e.course()) + utf8(e.status())) + JSON_ENROLMENT_OVERHEAD;
            }
            return Math.max(csv, json);
        }

        String csvRows() {
            StringBuilder out = new StringBuilder();
            List<Enrolment> each = enrolments.isEmpty() ? java.util.Collections.singletonList(null) : enrolments;
            for (Enrolment e : each) {
                List<String> cells = new ArrayList<>(List.of(learnerId, refInternal, firstName, lastName));
                cells.add(email);
                cells.add(Boolean.toString(syncToXero));
                cells.add(syncState);
                cells.add(contactId);
                cells.add(contactName);
                cells.add(updatedAt == null ? null : updatedAt.toString());
                cells.add(e == null ? null : e.enrolmentId());
                cells.add(e == null ? null : e.course());
                cells.add(e == null || e.startDate() == null ? null : e.startDate().toString());
                cells.add(e == null ? null : e.status());
                out.append(Csv.row(cells));
            }
            return out.toString();
        }
    }

    /** A line's JSON field names, punctuation, booleans and instant: generously counted. */
    static final int JSON_LINE_OVERHEAD = 400;
    /** An enrolment's JSON field names, punctuation and date. */
    static final int JSON_ENROLMENT_OVERHEAD = 120;

    /** A contact left behind by an LRM merge, to be merged in Xero into the surviving learner's contact. */
    public record ContactMerge(String learnerId, String intoLearnerId, String contactId, String intoContactId) {

        /** The most bytes it takes in a page's JSON (merges are not in the CSV). */
        public int maxBytes() {
            return 2 * (utf8(learnerId) + utf8(intoLearnerId) + utf8(contactId) + utf8(intoContactId)) + 120;
        }
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    static final List<String> CSV_HEADER = List.of("learnerId", "refInternal", "firstName", "lastName", "email",
            "syncToXero", "syncState", "xeroContactId", "xeroContactName", "updatedAt",
            "enrolmentId", "course", "startDate", "enrolmentStatus");

    /** One row per enrolment (one for a learner without any), so finance can invoice from it directly. */
    public String toCsv() {
        StringBuilder out = new StringBuilder(Csv.row(CSV_HEADER));
        for (Line l : learners) {
            out.append(l.csvRows());
        }
        return out.toString();
    }
}
