package org.lrm.xero.app.fakes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.rate.Priority;

/** Learners and work messages as the use-case tests need them. */
public final class TestData {

    private TestData() {
    }

    /** A learner with Sync to Xero ticked, named {@code first last}, with an email and an address. */
    public static Learner learner(String learnerId, String refInternal, String first, String last) {
        return new Learner(learnerId, refInternal, first, last, first.toLowerCase() + "@example.org", "+61 400 000 000",
                new Address("1 Main St", "Perth", "WA", "6000", "AU"), true, List.of());
    }

    /** The same learner with another email: Xero-relevant, so it owes a sync. */
    public static Learner withEmail(Learner l, String email) {
        return new Learner(l.learnerId(), l.refInternal(), l.firstName(), l.lastName(), email, l.phone(), l.address(),
                l.syncToXero(), l.enrolments());
    }

    public static Learner syncOff(Learner l) {
        return new Learner(l.learnerId(), l.refInternal(), l.firstName(), l.lastName(), l.email(), l.phone(), l.address(),
                false, l.enrolments());
    }

    /** A delivered message, first receive. */
    public static Work work(WorkMessage message) {
        return new Work("m-" + UUID.randomUUID(), message, 1);
    }

    /** A new request's message (a new attempt), first receive. */
    public static Work learnerSync(String orgId, Priority priority, boolean force, List<String> learnerIds) {
        return work(WorkMessage.of(LearnerSyncRequest.KIND, orgId, null, priority,
                LearnerSyncRequest.newAttempt(learnerIds, force, null).toJson()));
    }

    /** The same message delivered again (its receive failed, or its worker died). */
    public static Work redelivered(Work work) {
        return new Work(work.messageId(), work.message(), work.receiveCount() + 1);
    }

    public static Work message(String kind, String orgId, String tenantId, Priority priority, ObjectNode payload) {
        return work(WorkMessage.of(kind, orgId, tenantId, priority, payload));
    }
}
