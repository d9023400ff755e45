package org.lrm.xero.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.domain.learner.SyncState;

/**
 * Our learner store, dying right before the links to Xero's contacts would be written, as a
 * Lambda killed between Xero's answer and our write: {@code crashesLeft} times, then it works.
 */
public record CrashingLearnerStore(LearnerStore delegate, AtomicInteger crashesLeft) implements LearnerStore {
    @Override
    public java.util.Optional<LearnerRecord> find(String orgId, String learnerId) {
        return delegate.find(orgId, learnerId);
    }

    @Override
    public Map<String, LearnerRecord> findAll(String orgId, java.util.Collection<String> learnerIds) {
        return delegate.findAll(orgId, learnerIds);
    }

    @Override
    public void save(String orgId, List<org.lrm.xero.domain.learner.Learner> l, Map<String, SyncState> s, Instant now) {
        delegate.save(orgId, l, s, now);
    }

    @Override
    public void save(String orgId, org.lrm.xero.domain.learner.Learner learner, LearnerRecord before, SyncState state,
            Instant now) {
        delegate.save(orgId, learner, before, state, now);
    }

    @Override
    public void recordSynced(String orgId, List<Synced> synced, Instant now) {
        if (crashesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("Lambda died after Xero answered " + UUID.randomUUID());
        }
        delegate.recordSynced(orgId, synced, now);
    }

    @Override
    public void recordCreating(String orgId, Map<String, String> contactNumbers, Instant now) {
        delegate.recordCreating(orgId, contactNumbers, now);
    }

    @Override
    public void recordCreateNotSent(String orgId, java.util.Collection<String> learnerIds) {
        delegate.recordCreateNotSent(orgId, learnerIds);
    }

    @Override
    public void recordFailed(String orgId, String learnerId, String error, Instant now) {
        delegate.recordFailed(orgId, learnerId, error, now);
    }

    @Override
    public void recordMerged(String orgId, String learnerId, String intoLearnerId, Instant now) {
        delegate.recordMerged(orgId, learnerId, intoLearnerId, now);
    }

    @Override
    public java.util.Map<String, ContactLink> contactLinks(String orgId, java.util.Collection<String> contactIds) {
        return delegate.contactLinks(orgId, contactIds);
    }

    @Override
    public void linkContact(String orgId, String contactId, String learnerId) {
        delegate.linkContact(orgId, contactId, learnerId);
    }

    @Override
    public ChangedPage changedSince(String orgId, Instant since, String afterPosition, int limit) {
        return delegate.changedSince(orgId, since, afterPosition, limit);
    }

    @Override
    public List<String> learnersToSync(String orgId) {
        return delegate.learnersToSync(orgId);
    }
}
