package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.RefInternalTaken;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;

/**
 * {@link LearnerStore} and {@link LearnerDirectory} in memory, with DynamoLearnerStore's rules: a
 * RefInternal belongs to one learner, a save keeps what Xero-side fields the learner had, links go
 * both ways, lists come in learner id order. It can also die right before recording synced learners,
 * as a Lambda killed between Xero's answer and our write.
 */
public final class InMemoryLearnerStore implements LearnerStore, LearnerDirectory {

    private final Map<String, Map<String, LearnerRecord>> learners = new HashMap<>();
    private final Map<String, Map<String, String>> refs = new HashMap<>();
    private final Map<String, Map<String, ContactLink>> contacts = new HashMap<>();
    /** When each learner was last saved, synced or merged: the order of the finance report. */
    private final Map<String, Map<String, Instant>> changedAt = new HashMap<>();
    private int crashesBeforeRecordingSynced;

    /** The next {@code times} calls of {@link #recordSynced} throw before writing anything. */
    public void crashBeforeRecordingSynced(int times) {
        crashesBeforeRecordingSynced = times;
    }

    @Override
    public Optional<LearnerRecord> find(String orgId, String learnerId) {
        return Optional.ofNullable(of(orgId).get(learnerId));
    }

    @Override
    public Map<String, LearnerRecord> findAll(String orgId, Collection<String> learnerIds) {
        Map<String, LearnerRecord> found = new LinkedHashMap<>();
        learnerIds.forEach(id -> find(orgId, id).ifPresent(r -> found.put(id, r)));
        return found;
    }

    @Override
    public void save(String orgId, List<Learner> batch, Map<String, SyncState> states, Instant now) {
        for (Learner learner : batch) {
            String owner = refs(orgId).get(learner.refInternal());
            if (owner != null && !owner.equals(learner.learnerId())) {
                throw new RefInternalTaken(learner.refInternal());
            }
        }
        batch.forEach(l -> save(orgId, l, of(orgId).get(l.learnerId()), states.get(l.learnerId()), now));
    }

    @Override
    public void save(String orgId, Learner learner, LearnerRecord before, SyncState state, Instant now) {
        String owner = refs(orgId).get(learner.refInternal());
        if (owner != null && !owner.equals(learner.learnerId())) {
            throw new RefInternalTaken(learner.refInternal());
        }
        refs(orgId).put(learner.refInternal(), learner.learnerId());
        LearnerRecord held = of(orgId).get(learner.learnerId());
        of(orgId).put(learner.learnerId(), held == null
                ? new LearnerRecord(orgId, learner, state, null, null, null, null, null, null, now, null)
                : new LearnerRecord(orgId, learner, state, held.contactId(), held.contactName(), held.contactNumber(),
                        held.lastSyncedAt(), held.error(), held.syncedFingerprint(), now, held.mergedInto(), held.creatingAs()));
        changed(orgId, learner.learnerId(), now);
        if (held != null && !held.learner().refInternal().equals(learner.refInternal())) {
            refs(orgId).remove(held.learner().refInternal(), learner.learnerId());
        }
    }

    @Override
    public void recordSynced(String orgId, List<Synced> synced, Instant now) {
        if (crashesBeforeRecordingSynced > 0) {
            crashesBeforeRecordingSynced--;
            throw new IllegalStateException("the function died before recording what Xero synced");
        }
        synced.forEach(s -> links(orgId).put(s.contactId(), new ContactLink(s.learnerId(), s.writtenAt())));
        for (Synced s : synced) {
            LearnerRecord r = existing(orgId, s.learnerId());
            of(orgId).put(s.learnerId(), new LearnerRecord(orgId, r.learner(), SyncState.SYNCED, s.contactId(), s.contactName(),
                    s.contactNumber(), now, null, s.fingerprint(), now, r.mergedInto()));
            changed(orgId, s.learnerId(), now);
        }
    }

    @Override
    public void recordCreateNotSent(String orgId, java.util.Collection<String> learnerIds) {
        learnerIds.forEach(learnerId -> markCreating(orgId, learnerId, null));
    }

    @Override
    public void recordCreating(String orgId, Map<String, String> contactNumbers, Instant now) {
        contactNumbers.forEach((learnerId, number) -> markCreating(orgId, learnerId, number));
    }

    /** The learner as it is, with {@code creatingAs} set to {@code number} (null: no create pending). */
    private void markCreating(String orgId, String learnerId, String number) {
        LearnerRecord r = existing(orgId, learnerId);
        of(orgId).put(learnerId, new LearnerRecord(orgId, r.learner(), r.state(), r.contactId(), r.contactName(),
                r.contactNumber(), r.lastSyncedAt(), r.error(), r.syncedFingerprint(), r.updatedAt(), r.mergedInto(),
                number));
    }

    @Override
    public void recordFailed(String orgId, String learnerId, String error, Instant now) {
        LearnerRecord r = existing(orgId, learnerId);
        changedIndex.remove(orgId);
        of(orgId).put(learnerId, new LearnerRecord(orgId, r.learner(), SyncState.FAILED, r.contactId(), r.contactName(),
                r.contactNumber(), r.lastSyncedAt(), error, r.syncedFingerprint(), now, r.mergedInto()));
    }

    @Override
    public void recordMerged(String orgId, String learnerId, String intoLearnerId, Instant now) {
        LearnerRecord r = existing(orgId, learnerId);
        of(orgId).put(learnerId, new LearnerRecord(orgId, r.learner(), r.state(), r.contactId(), r.contactName(),
                r.contactNumber(), r.lastSyncedAt(), r.error(), r.syncedFingerprint(), now, intoLearnerId, r.creatingAs()));
        changed(orgId, learnerId, now);
    }

    @Override
    public Map<String, ContactLink> contactLinks(String orgId, Collection<String> contactIds) {
        Map<String, ContactLink> found = new HashMap<>();
        contactIds.forEach(c -> {
            ContactLink link = links(orgId).get(c);
            if (link != null) {
                found.put(c, link);
            }
        });
        return found;
    }

    @Override
    public void linkContact(String orgId, String contactId, String learnerId) {
        links(orgId).put(contactId, new ContactLink(learnerId, null));
    }

    /** Pages of the changed learners; a position is the change's instant and the learner id, as the table's index orders them. */
    @Override
    public ChangedPage changedSince(String orgId, Instant since, String afterPosition, int limit) {
        changedSincePages++;
        List<Changed> index = changedIndex.computeIfAbsent(orgId, o -> {
            Map<String, Instant> at = changedAt.getOrDefault(orgId, Map.of());
            return of(orgId).values().stream().map(r -> new Changed(r, position(at.get(r.learnerId()), r.learnerId())))
                    .sorted(Comparator.comparing(Changed::position)).toList();
        });
        String from = position(since, "");
        String start = afterPosition != null && afterPosition.compareTo(from) > 0 ? afterPosition : from;
        int first = firstAfter(index, start);
        int end = Math.min(index.size(), first + limit);
        return new ChangedPage(index.subList(first, end), index.size() > end);
    }

    /** The index of the first entry whose position sorts after {@code position}. */
    private static int firstAfter(List<Changed> index, String position) {
        int low = 0;
        int high = index.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (index.get(mid).position().compareTo(position) > 0) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** How many pages {@link #changedSince} was asked for. */
    public int changedSincePages;
    /** The changed learners in order, per organisation, as the table's index holds them; rebuilt after a change. */
    private final Map<String, List<Changed>> changedIndex = new HashMap<>();

    private static String position(Instant at, String learnerId) {
        return String.format("%020d%09d#%s", at.getEpochSecond(), at.getNano(), learnerId);
    }

    @Override
    public List<String> learnersToSync(String orgId) {
        List<String> ids = new ArrayList<>();
        new TreeMap<>(of(orgId)).forEach((id, r) -> {
            if (r.learner().syncToXero() && r.mergedInto() == null) {
                ids.add(id);
            }
        });
        return ids;
    }

    @Override
    public LearnerDirectory.Page page(String orgId, SyncState state, String afterLearnerId, int limit) {
        List<LearnerRecord> after = new TreeMap<>(of(orgId)).values().stream()
                .filter(r -> afterLearnerId == null || r.learnerId().compareTo(afterLearnerId) > 0)
                .filter(r -> state == null || r.state() == state).toList();
        return new LearnerDirectory.Page(after.subList(0, Math.min(limit, after.size())), after.size() > limit);
    }

    @Override
    public int failedCount(String orgId) {
        return (int) of(orgId).values().stream().filter(r -> r.state() == SyncState.FAILED).count();
    }

    /** Every contact → learner link of the organisation. */
    public Map<String, ContactLink> links(String orgId) {
        return contacts.computeIfAbsent(orgId, o -> new HashMap<>());
    }

    private LearnerRecord existing(String orgId, String learnerId) {
        LearnerRecord r = of(orgId).get(learnerId);
        if (r == null) {
            throw new IllegalStateException("no learner " + learnerId + " (DynamoDB's condition would refuse the write)");
        }
        return r;
    }

    private void changed(String orgId, String learnerId, Instant at) {
        changedIndex.remove(orgId);
        changedAt.computeIfAbsent(orgId, o -> new HashMap<>()).put(learnerId, at);
    }

    private Map<String, LearnerRecord> of(String orgId) {
        return learners.computeIfAbsent(orgId, o -> new LinkedHashMap<>());
    }

    private Map<String, String> refs(String orgId) {
        return refs.computeIfAbsent(orgId, o -> new HashMap<>());
    }
}
