package org.lrm.xero.app.learner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.domain.report.FinanceReport;

/** What staff and learners read: a learner's Xero status, logbook, and the finance report. */
public final class LearnerQueries {

    private final LearnerStore learners;
    private final Logbook logbook;
    private final ConnectionStore connections;
    private final Clock clock;

    public LearnerQueries(LearnerStore learners, Logbook logbook, ConnectionStore connections, Clock clock) {
        this.learners = learners;
        this.logbook = logbook;
        this.connections = connections;
        this.clock = clock;
    }

    public LearnerRecord status(String orgId, String learnerId) {
        return learners.find(orgId, learnerId)
                .orElseThrow(() -> NotFound.learner(learnerId));
    }

    /**
     * The scopes the organisation's Xero connection lacks: every one of them holds back part of a learner's
     * sync (contacts) or invoices (invoices, payments) until an admin connects again granting it.
     */
    public List<String> missingScopes(String orgId) {
        return connections.connection(orgId).filter(ConnectionRecord::usable).map(ConnectionRecord::missingScopes)
                .orElse(List.of());
    }

    public List<LogEntry> logbook(String orgId, String learnerId, int limit) {
        status(orgId, learnerId);
        return logbook.newestFirst(orgId, learnerId, limit);
    }

    /** A page of the finance report and where the next starts ({@code next} is null on the last). */
    public record FinanceReportPage(FinanceReport report, String next) {
    }

    /** Learners read from the store at once while a page fills: a page of large learners stops early. */
    public static final int READ_CHUNK = 250;

    /**
     * A page of the finance report: at most {@code limit} learners changed since {@code since} after
     * {@code afterPosition} (a page's {@code next}), and no more than {@link FinanceReport#MAX_PAGE_BYTES}
     * of them, so that any page of any organisation's report is an answer Lambda can give.
     */
    public FinanceReportPage financeReport(String orgId, Instant since, String afterPosition, int limit) {
        List<FinanceReport.Line> lines = new ArrayList<>();
        List<FinanceReport.ContactMerge> merges = new ArrayList<>();
        String position = afterPosition;
        int taken = 0;
        long bytes = 0;
        boolean more = true;
        read:
        while (taken < limit) {
            LearnerStore.ChangedPage chunk = learners.changedSince(orgId, since, position, Math.min(READ_CHUNK, limit - taken));
            for (LearnerStore.Changed changed : chunk.learners()) {
                LearnerRecord r = changed.record();
                FinanceReport.Line line = null;
                FinanceReport.ContactMerge merge = null;
                int size = 0;
                if (r.mergedInto() != null) {
                    if (r.contactId() != null) {
                        String into = learners.find(orgId, r.mergedInto()).map(LearnerRecord::contactId).orElse(null);
                        merge = new FinanceReport.ContactMerge(r.learnerId(), r.mergedInto(), r.contactId(), into);
                        size = merge.maxBytes();
                    }
                } else {
                    var l = r.learner();
                    line = new FinanceReport.Line(l.learnerId(), l.refInternal(), l.firstName(), l.lastName(), l.email(),
                            l.syncToXero(), r.state().name(), r.contactId(), r.contactName(), r.updatedAt(), l.enrolments());
                    size = line.maxBytes();
                }
                if (taken > 0 && bytes + size > FinanceReport.MAX_PAGE_BYTES) {
                    break read; // the rest on the next page, from the last one taken
                }
                if (line != null) {
                    lines.add(line);
                }
                if (merge != null) {
                    merges.add(merge);
                }
                bytes += size;
                taken++;
                position = changed.position();
            }
            if (!chunk.more()) {
                more = false;
                break;
            }
        }
        return new FinanceReportPage(new FinanceReport(since, clock.instant(), lines, merges), more ? position : null);
    }
}
