package org.lrm.xero.app.operator;

import java.util.List;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.resync.RecentResyncs;
import org.lrm.xero.app.resync.ResyncProgress;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.support.JsonLog;

/**
 * Every organisation's health as the vendor's support staff (operators) see it, across
 * organisations: its Xero connection and budget, how many of its learners failed to sync and its
 * latest re-sync; and, for one organisation, which learners failed and Xero's words for why. Each
 * look is logged with the operator who took it.
 */
public final class OrganisationHealth {

    public static final int DEFAULT_LIMIT = 50;
    /** Each organisation on a page costs a few reads (failed learners, latest re-sync): a page stays well within a second. */
    public static final int MAX_LIMIT = 100;

    private static final JsonLog LOG = JsonLog.forClass(OrganisationHealth.class);

    /**
     * @param latestResync the organisation's newest re-sync (a range or a nightly run) as it stands now; null if none
     */
    public record Organisation(ConnectionRecord connection, int failedLearners, ResyncProgress.View latestResync) {
    }

    /** @param more whether organisations follow the page's last one */
    public record Page(List<Organisation> organisations, boolean more) {
    }

    private final ConnectionStore connections;
    private final LearnerDirectory learners;
    private final RecentResyncs resyncs;

    public OrganisationHealth(ConnectionStore connections, LearnerDirectory learners, RecentResyncs resyncs) {
        this.connections = connections;
        this.learners = learners;
        this.resyncs = resyncs;
    }

    /** Organisations (every one that ever connected) in id order, after {@code afterOrgId} (from the first when null). */
    public Page page(String operator, String afterOrgId, int limit) {
        requireLimit(limit);
        ConnectionStore.Page page = connections.page(afterOrgId, limit);
        List<Organisation> organisations = page.connections().stream().map(c -> new Organisation(c,
                learners.failedCount(c.orgId()), resyncs.of(c.orgId(), 1).stream().findFirst().orElse(null))).toList();
        LOG.info("operator.organisationsRead", "operator", operator, "after", afterOrgId, "organisations", organisations.size(),
                "more", page.more());
        return new Page(organisations, page.more());
    }

    /**
     * The organisation's learners whose sync failed, in learner id order, after {@code afterLearnerId}.
     * @throws NotFound when no such organisation ever connected
     */
    public LearnerDirectory.Page failedLearners(String operator, String orgId, String afterLearnerId, int limit) {
        requireLimit(limit);
        LearnerDirectory.Page page = learners.page(orgId, SyncState.FAILED, afterLearnerId, limit);
        if (page.learners().isEmpty() && connections.connection(orgId).isEmpty()) {
            throw new NotFound("No organisation " + orgId + " has connected Xero.");
        }
        LOG.info("operator.failedLearnersRead", "operator", operator, "orgId", orgId, "after", afterLearnerId,
                "learners", page.learners().size(), "more", page.more());
        return page;
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is not within 1.." + MAX_LIMIT);
        }
    }
}
