package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * The poll schedule's run (every minute): it calls no Xero API. It reads the usable connections and
 * their {@link PollPlan}s and queues a {@code poll} message for each organisation whose poll is due,
 * claiming it first so that an overlapping run queues it only once. Each organisation's poll then runs
 * on its own in the scheduled-work worker, under the same budget, deferral and dead-letter rules as
 * all queued work, so one run covers any number of organisations on time, and a slow or waiting
 * organisation delays no other.
 */
public final class SchedulePolls {

    /** The schedule's rate (the template's PollScheduleExpression). */
    public static final Duration SCHEDULE = Duration.ofMinutes(1);
    /**
     * How long a queued poll holds its organisation before the schedule may queue another: more than a poll
     * takes, so a lost message costs a quarter of an hour at most.
     */
    static final Duration CLAIM = Duration.ofMinutes(15);

    private static final JsonLog LOG = JsonLog.forClass(SchedulePolls.class);

    private final ConnectionStore connections;
    private final PollPlans plans;
    private final WorkQueue scheduledWork;
    private final Clock clock;

    public SchedulePolls(ConnectionStore connections, PollPlans plans, WorkQueue scheduledWork, Clock clock) {
        this.connections = connections;
        this.plans = plans;
        this.scheduledWork = scheduledWork;
        this.clock = clock;
    }

    /** @return the organisations whose poll was queued */
    public int run() {
        Instant now = clock.instant();
        List<ConnectionRecord> usable = connections.usableConnections();
        Map<String, PollPlan> planned = plans.find(usable.stream().map(ConnectionRecord::orgId).toList());
        List<WorkMessage> polls = new ArrayList<>();
        for (ConnectionRecord connection : usable) {
            PollPlan plan = planned.get(connection.orgId());
            if ((plan == null || plan.due(now)) && plans.claim(connection.orgId(), now, now.plus(CLAIM))) {
                polls.add(WorkMessage.of(PollTransactions.POLL_KIND, connection.orgId(), connection.tenantId(),
                        Priority.BULK, null));
            }
        }
        scheduledWork.send(polls);
        LOG.info("poll.scheduled", "organisations", usable.size(), "queued", polls.size());
        return polls.size();
    }
}
