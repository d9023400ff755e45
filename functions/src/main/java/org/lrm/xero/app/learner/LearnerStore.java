package org.lrm.xero.app.learner;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;

/**
 * The learners of each organisation and their links to Xero contacts, kept both ways
 * (learner → contact on the learner, contact → learner as its own item) so webhooks find the
 * learner of a contact and learner sync finds the contact of a learner.
 */
public interface LearnerStore {

    Optional<LearnerRecord> find(String orgId, String learnerId);

    Map<String, LearnerRecord> findAll(String orgId, Collection<String> learnerIds);

    /**
     * Stores the learners' snapshots with the given state, all or none per call; a learner's
     * RefInternal stays unique in its organisation.
     *
     * @throws RefInternalTaken when a RefInternal belongs to another learner
     */
    void save(String orgId, List<Learner> learners, Map<String, SyncState> states, Instant now);

    /**
     * Stores one learner's snapshot with the given state, knowing it as it was just read
     * ({@code before}, null for a new learner), so nothing is read again. Its RefInternal is
     * reserved before anything else is written, so a clash stores nothing.
     *
     * @throws RefInternalTaken when the RefInternal belongs to another learner
     */
    void save(String orgId, Learner learner, LearnerRecord before, SyncState state, Instant now);

    /**
     * A learner Xero now holds as this contact, with the fingerprint of the details it was sent.
     *
     * @param writtenAt the contact's UpdatedDateUTC in Xero's answer to our write (null: we wrote nothing, or
     *        Xero did not say): a CONTACT event no newer than this only echoes our own write
     */
    record Synced(String learnerId, String contactId, String contactName, String contactNumber, String fingerprint,
            Instant writtenAt) {

        public Synced(String learnerId, String contactId, String contactName, String contactNumber, String fingerprint) {
            this(learnerId, contactId, contactName, contactNumber, fingerprint, null);
        }
    }

    /**
     * A contact's link to its learner.
     *
     * @param writtenAt the contact's UpdatedDateUTC when the integration last wrote it (null: not known)
     */
    record ContactLink(String learnerId, Instant writtenAt) {
    }

    /**
     * Xero now holds these learners as these contacts: the links both ways and the synced
     * fingerprints. Takes a whole Xero call's worth at once (links are written 25 to a request).
     */
    void recordSynced(String orgId, List<Synced> synced, Instant now);

    /** {@link #recordSynced(String, List, Instant)} for one learner. */
    default void recordSynced(String orgId, String learnerId, String contactId, String contactName, String contactNumber,
                              String fingerprint, Instant now) {
        recordSynced(orgId, List.of(new Synced(learnerId, contactId, contactName, contactNumber, fingerprint)), now);
    }

    /**
     * Creates of these learners' contacts (learner id → the ContactNumber sent) are about to be sent to Xero:
     * written before the call, so that a retry after a crash, even of an edited learner, looks for what Xero
     * may have created ({@link LearnerRecord#creatingAs()}). {@link #recordSynced}, {@link #recordFailed} and
     * {@link #recordCreateNotSent} clear it.
     */
    void recordCreating(String orgId, Map<String, String> contactNumbers, Instant now);

    /**
     * The creates {@link #recordCreating} marked were never sent (the budget said wait, or Xero answered 429):
     * Xero holds no contact of theirs, so their next push needs no look-up first. Clears the mark.
     */
    void recordCreateNotSent(String orgId, Collection<String> learnerIds);

    /** Xero refused the learner, with its message and what to do about it. */
    void recordFailed(String orgId, String learnerId, String error, Instant now);

    /** The LRM merged {@code learnerId} into {@code intoLearnerId}. */
    void recordMerged(String orgId, String learnerId, String intoLearnerId, Instant now);

    /** Of the given Xero contacts, those linked to a learner: contact id → learner id. */
    default Map<String, String> learnersOfContacts(String orgId, Collection<String> contactIds) {
        Map<String, String> learners = new java.util.HashMap<>();
        contactLinks(orgId, contactIds).forEach((contactId, link) -> learners.put(contactId, link.learnerId()));
        return learners;
    }

    /** Of the given Xero contacts, those linked to a learner, with when the integration last wrote them. */
    Map<String, ContactLink> contactLinks(String orgId, Collection<String> contactIds);

    /** Links an extra contact to a learner (a merged learner's contact, or one Xero merged into). */
    void linkContact(String orgId, String contactId, String learnerId);

    /**
     * Learners saved or synced since an instant, oldest change first, a page at a time (the finance report):
     * at most {@code limit}, after the one at {@code afterPosition} (null: from the first).
     */
    ChangedPage changedSince(String orgId, Instant since, String afterPosition, int limit);

    /** A learner of a {@link #changedSince} page and its position, after which the next page starts. */
    record Changed(LearnerRecord record, String position) {
    }

    /** A page of {@link #changedSince}; {@code more} while others follow. */
    record ChangedPage(List<Changed> learners, boolean more) {
    }

    /** Learners with Sync to Xero ticked, for re-syncs. */
    List<String> learnersToSync(String orgId);
}
