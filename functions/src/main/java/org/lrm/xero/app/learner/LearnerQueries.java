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

    public FinanceReport financeReport(String orgId, Instant since) {
        List<FinanceReport.Line> lines = new ArrayList<>();
        List<FinanceReport.ContactMerge> merges = new ArrayList<>();
        for (LearnerRecord r : learners.changedSince(orgId, since)) {
            if (r.mergedInto() != null) {
                if (r.contactId() != null) {
                    String into = learners.find(orgId, r.mergedInto()).map(LearnerRecord::contactId).orElse(null);
                    merges.add(new FinanceReport.ContactMerge(r.learnerId(), r.mergedInto(), r.contactId(), into));
                }
                continue;
            }
            var l = r.learner();
            lines.add(new FinanceReport.Line(l.learnerId(), l.refInternal(), l.firstName(), l.lastName(), l.email(),
                    l.syncToXero(), r.state().name(), r.contactId(), r.contactName(), r.updatedAt(), l.enrolments()));
        }
        return new FinanceReport(since, clock.instant(), lines, merges);
    }
}
