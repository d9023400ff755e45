package org.lrm.xero.app.learner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.ContactResult;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.learner.ContactDetails;
import org.lrm.xero.domain.learner.SyncRules;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * The learner-sync worker's use case: pushes the queued learners of one organisation to Xero as
 * contacts, up to 50 in one {@code POST /Contacts?summarizeErrors=false}, and records each
 * learner's result. It never creates a duplicate contact:
 * <ul>
 *   <li>a linked learner is sent with its ContactID (an update);</li>
 *   <li>a retried batch carries the same {@code Idempotency-Key}, so Xero answers with the contacts
 *       it created the first time (a crash between Xero's answer and our write); a new attempt of a
 *       person (a Manual Sync, a save after finance fixed a clash in Xero) carries another, so Xero
 *       does not answer it with its remembered refusal;</li>
 *   <li>before a create, the learner is marked with the ContactNumber sent ({@link LearnerRecord#creatingAs()});
 *       a learner so marked whose answer was never recorded (the function died after Xero's create) is looked
 *       for by ContactNumber first, one query for its chunk, and the contact found is updated: even when the
 *       learner was edited meanwhile (another body, another key, another Name), as Xero does not promise to
 *       refuse a second contact with the same ContactNumber. A first create costs no look-up;</li>
 *   <li>an unlinked learner whose name Xero already has is found by its ContactNumber (its RefInternal)
 *       and adopted instead of created (a lost link).</li>
 * </ul>
 * Each chunk of 50 is its own call: one Xero refuses outright fails only its messages, and after a wait or a
 * failure of Xero's the learners of the chunks not attempted wait with it (retried, never failed).
 * Learners whose details Xero already holds cost no call. Waiting for budget, for a reconnect or
 * for the contacts scope to be granted defers the messages; only Xero's refusal of a learner makes
 * it FAILED.
 */
public final class SyncLearners implements WorkProcessor {

    private static final JsonLog LOG = JsonLog.forClass(SyncLearners.class);

    private final LearnerStore learners;
    private final Logbook logbook;
    private final ConnectionStore connections;
    private final XeroContacts xero;
    private final Clock clock;

    public SyncLearners(LearnerStore learners, Logbook logbook, ConnectionStore connections, XeroContacts xero,
                        Clock clock) {
        this.learners = learners;
        this.logbook = logbook;
        this.connections = connections;
        this.xero = xero;
        this.clock = clock;
    }

    /** What one learner was queued for, merged over every message that names it. */
    private static final class Wanted {
        boolean force;
        Priority priority = Priority.BULK;
        final List<String> messageIds = new ArrayList<>();
        final Set<String> attempts = new java.util.TreeSet<>();
    }

    @Override
    public Map<String, WorkOutcome> process(String orgId, List<Work> work) {
        Map<String, WorkOutcome> outcomes = new LinkedHashMap<>();
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        Map<String, Set<String>> learnersOfMessage = new HashMap<>();
        for (Work item : work) {
            LearnerSyncRequest request;
            try {
                request = LearnerSyncRequest.from(item.message().payload());
            } catch (IllegalArgumentException e) {
                outcomes.put(item.messageId(), new WorkOutcome.Fail(e.getMessage()));
                continue;
            }
            learnersOfMessage.put(item.messageId(), new LinkedHashSet<>(request.learnerIds()));
            for (String learnerId : request.learnerIds()) {
                Wanted w = wanted.computeIfAbsent(learnerId, id -> new Wanted());
                w.force |= request.force();
                if (item.message().priority() == Priority.INTERACTIVE) {
                    w.priority = Priority.INTERACTIVE;
                }
                w.messageIds.add(item.messageId());
                if (request.attempt() != null) {
                    w.attempts.add(request.attempt());
                }
            }
        }
        if (wanted.isEmpty()) {
            return outcomes;
        }
        ConnectionRecord connection = connections.requireUsable(orgId,
                "learner sync waits for the organisation to connect to Xero");
        connection.requireScope(XeroScopes.Need.CONTACTS);
        XeroTenant tenant = new XeroTenant(orgId, connection.tenantId());
        Map<String, LearnerRecord> records = learners.findAll(orgId, wanted.keySet());
        List<LearnerRecord> toPush = new ArrayList<>();
        for (Map.Entry<String, Wanted> e : wanted.entrySet()) {
            LearnerRecord r = records.get(e.getKey());
            if (r != null && r.mergedInto() == null
                    && SyncRules.pushNeeded(r.learner(), r.syncedFingerprint(), r.contactId(), e.getValue().force)) {
                toPush.add(r);
            }
        }
        // People waiting go first: a Manual Sync is not stuck behind a bulk sync of thousands.
        toPush.sort(Comparator.comparing(r -> wanted.get(r.learnerId()).priority));
        // Each chunk is one Xero call. A chunk Xero refuses outright fails only its own learners' messages; a wait
        // (budget, connection, scope) or Xero failing stops the chunks after it, whose learners wait with it:
        // learners never attempted are retried, never failed.
        Map<String, WorkOutcome> unfinished = new LinkedHashMap<>();
        RuntimeException stoppedBy = null;
        for (int i = 0; i < toPush.size(); i += XeroContacts.PER_CALL) {
            List<LearnerRecord> chunk = toPush.subList(i, Math.min(i + XeroContacts.PER_CALL, toPush.size()));
            if (stoppedBy != null) {
                WorkOutcome waiting = WorkOutcome.of(stoppedBy);
                chunk.forEach(r -> unfinished.put(r.learnerId(), waiting));
                continue;
            }
            Priority priority = chunk.stream().anyMatch(r -> wanted.get(r.learnerId()).priority == Priority.INTERACTIVE)
                    ? Priority.INTERACTIVE : Priority.BULK;
            try {
                push(tenant, priority, chunk, attemptsOf(chunk, wanted));
            } catch (RuntimeException e) {
                WorkOutcome outcome = WorkOutcome.of(e);
                chunk.forEach(r -> unfinished.put(r.learnerId(), outcome));
                if (!(outcome instanceof WorkOutcome.Fail)) {
                    stoppedBy = e;
                }
            }
        }
        for (Map.Entry<String, Set<String>> m : learnersOfMessage.entrySet()) {
            outcomes.put(m.getKey(), outcomeOf(m.getValue(), unfinished));
        }
        return outcomes;
    }

    /**
     * A message is done when all its learners are; otherwise it waits or is retried with any of them that
     * waits, and fails only when every learner left failed for good.
     */
    private static WorkOutcome outcomeOf(Set<String> learnerIds, Map<String, WorkOutcome> unfinished) {
        WorkOutcome failed = null;
        for (String learnerId : learnerIds) {
            WorkOutcome outcome = unfinished.get(learnerId);
            if (outcome instanceof WorkOutcome.Fail) {
                failed = outcome;
            } else if (outcome != null) {
                return outcome;
            }
        }
        return failed == null ? WorkOutcome.DONE : failed;
    }

    /**
     * The worker dropped a message whose organisation stayed unconnected too long: each of its learners still
     * waiting is FAILED with what to do, in its logbook too, so that staff see it (not a PENDING for ever).
     */
    @Override
    public void dropped(String orgId, Work work, String reason) {
        LearnerSyncRequest request;
        try {
            request = LearnerSyncRequest.from(work.message().payload());
        } catch (IllegalArgumentException unreadable) {
            return;
        }
        Instant now = clock.instant();
        String message = "Not sent to Xero: " + reason + ". What to do: an admin connects Xero, then press Manual Sync"
                + " (or re-sync learners).";
        for (LearnerRecord r : learners.findAll(orgId, request.learnerIds()).values()) {
            if (r.state() == SyncState.PENDING) {
                learners.recordFailed(orgId, r.learnerId(), message, now);
                logbook.append(orgId, r.learnerId(), new LogEntry(now, "SYNC_DROPPED", message, Map.of()));
                LOG.warn("learner.syncDropped", "orgId", orgId, "learnerId", r.learnerId(), "reason", reason);
            }
        }
    }

    /** The attempts the chunk's learners were queued by, in a stable order. */
    private static Set<String> attemptsOf(List<LearnerRecord> chunk, Map<String, Wanted> wanted) {
        Set<String> attempts = new java.util.TreeSet<>();
        chunk.forEach(r -> attempts.addAll(wanted.get(r.learnerId()).attempts));
        return attempts;
    }

    /**
     * One Xero call for up to 50 learners; before it, one to find the contacts of learners whose earlier create
     * went unrecorded (a crash after Xero's answer), and after it, one to adopt existing contacts when Xero says
     * they exist.
     */
    private void push(XeroTenant tenant, Priority priority, List<LearnerRecord> chunk, Set<String> attempts) {
        Map<String, String> adopted = findUnrecordedCreates(tenant, priority, chunk);
        List<LearnerRecord> toSend = new ArrayList<>();
        Map<String, String> creating = new LinkedHashMap<>();
        for (LearnerRecord r : chunk) {
            String contactId = contactIdFor(r, adopted);
            if (contactId == null && adopted.containsKey(r.learnerId())) {
                continue; // its contact is archived in Xero: recorded FAILED by findUnrecordedCreates
            }
            toSend.add(r);
            if (contactId == null) {
                creating.put(r.learnerId(), ContactDetails.of(r.learner()).contactNumber());
            }
        }
        if (toSend.isEmpty()) {
            return;
        }
        if (!creating.isEmpty()) {
            // Before the call: should this function die after Xero created them, the retry finds them first.
            learners.recordCreating(tenant.orgId(), creating, clock.instant());
        }
        List<ContactResult> results;
        try {
            results = save(tenant, priority, toSend.stream().map(r -> write(r, contactIdFor(r, adopted))).toList(), attempts);
        } catch (WaitForBudget notSent) {
            // Nothing reached Xero (the budget held the call back, or Xero refused it with 429): no contact can
            // exist, so the mark comes off and the retry spends no look-up. Left on, a bulk sync that waits for
            // Xero's minute paid one GET /Contacts per waiting chunk.
            if (!creating.isEmpty()) {
                learners.recordCreateNotSent(tenant.orgId(), creating.keySet());
            }
            throw notSent;
        }
        List<LearnerRecord> maybeExisting = new ArrayList<>();
        Map<LearnerRecord, XeroContact> synced = new LinkedHashMap<>();
        for (int i = 0; i < toSend.size(); i++) {
            LearnerRecord r = toSend.get(i);
            ContactResult result = results.get(i);
            if (result instanceof ContactResult.Saved saved) {
                synced.put(r, saved.contact());
            } else if (contactIdFor(r, adopted) == null && ((ContactResult.Refused) result).reason().taken()) {
                maybeExisting.add(r);
            } else {
                failed(tenant, r, (ContactResult.Refused) result);
            }
        }
        synced(tenant, synced);
        if (!maybeExisting.isEmpty()) {
            adoptExisting(tenant, priority, maybeExisting, attempts);
        }
    }

    /** The contact a learner is written to: its link, or the one its unrecorded create made; null to create. */
    private static String contactIdFor(LearnerRecord r, Map<String, String> adopted) {
        return r.contactId() != null ? r.contactId() : adopted.get(r.learnerId());
    }

    /**
     * Learners a create was sent for whose answer was never recorded: Xero may hold their contacts, created
     * with the ContactNumber then sent (the learner may have been edited since, so the details differ and so
     * does the idempotency key; Xero does not promise to refuse a second contact with the same ContactNumber).
     * One query for the chunk, by ContactNumber, the number then sent and the current one.
     *
     * @return learner id → the contact to update instead of creating one; mapped to null for one whose contact
     *     is archived in Xero without a merge (recorded FAILED here)
     */
    private Map<String, String> findUnrecordedCreates(XeroTenant tenant, Priority priority, List<LearnerRecord> chunk) {
        List<LearnerRecord> unsure = chunk.stream().filter(r -> r.contactId() == null && r.creatingAs() != null).toList();
        Map<String, String> adopted = new HashMap<>();
        if (unsure.isEmpty()) {
            return adopted;
        }
        Set<String> numbers = new LinkedHashSet<>();
        unsure.forEach(r -> {
            numbers.add(r.creatingAs());
            numbers.add(r.learner().refInternal());
        });
        Map<String, XeroContact> byNumber = byNumber(xero.withNumbers(tenant, priority, numbers));
        for (LearnerRecord r : unsure) {
            XeroContact existing = byNumber.get(r.creatingAs().toLowerCase(Locale.ROOT));
            if (existing == null) {
                existing = byNumber.get(r.learner().refInternal().toLowerCase(Locale.ROOT));
            }
            if (existing == null) {
                continue;
            }
            String contactId = existing.archived() ? existing.mergedInto() : existing.contactId();
            adopted.put(r.learnerId(), contactId);
            if (contactId == null) {
                failed(tenant, r, new ContactResult.Refused(ContactResult.Reason.ARCHIVED, List.of("The contact with"
                        + " ContactNumber " + existing.contactNumber() + " has been archived in Xero.")));
            } else {
                LOG.info("learner.contactAdopted", "orgId", tenant.orgId(), "tenantId", tenant.tenantId(),
                        "learnerId", r.learnerId(), "contactId", contactId, "why", "unrecordedCreate");
            }
        }
        return adopted;
    }

    private static Map<String, XeroContact> byNumber(List<XeroContact> contacts) {
        Map<String, XeroContact> byNumber = new HashMap<>();
        for (XeroContact c : contacts) {
            if (c.contactNumber() != null) {
                // An active contact wins over an archived one with the same number.
                byNumber.merge(c.contactNumber().toLowerCase(Locale.ROOT), c, (a, b) -> a.archived() ? b : a);
            }
        }
        return byNumber;
    }

    private List<ContactResult> save(XeroTenant tenant, Priority priority, List<ContactWrite> writes, Set<String> attempts) {
        return xero.save(tenant, priority, writes, idempotencyKey(tenant.orgId(), attempts, writes));
    }

    /**
     * Xero refused to create contacts whose Name or ContactNumber it already has. When a contact
     * carries the learner's RefInternal as ContactNumber it is the learner's own (created before a
     * crash, or its link was lost): adopt it and update it. Otherwise the refusal stands.
     */
    private void adoptExisting(XeroTenant tenant, Priority priority, List<LearnerRecord> chunk, Set<String> attempts) {
        List<String> refs = chunk.stream().map(r -> r.learner().refInternal()).toList();
        Map<String, XeroContact> byNumber = byNumber(xero.withNumbers(tenant, priority, refs));
        List<LearnerRecord> adopted = new ArrayList<>();
        List<ContactWrite> writes = new ArrayList<>();
        for (LearnerRecord r : chunk) {
            XeroContact existing = byNumber.get(r.learner().refInternal().toLowerCase(Locale.ROOT));
            String contactId = existing == null ? null : existing.archived() ? existing.mergedInto() : existing.contactId();
            if (contactId == null) {
                failed(tenant, r, existing == null
                        ? new ContactResult.Refused(ContactResult.Reason.NAME_TAKEN, List.of("The contact name "
                                + ContactDetails.of(r.learner()).name() + " is already assigned to another contact."
                                + " The contact name must be unique across all active contacts."))
                        : new ContactResult.Refused(ContactResult.Reason.ARCHIVED, List.of("The contact with ContactNumber "
                                + r.learner().refInternal() + " has been archived in Xero.")));
                continue;
            }
            LOG.info("learner.contactAdopted", "orgId", tenant.orgId(), "tenantId", tenant.tenantId(),
                    "learnerId", r.learnerId(), "contactId", contactId);
            adopted.add(r);
            writes.add(write(r, contactId));
        }
        if (adopted.isEmpty()) {
            return;
        }
        List<ContactResult> results = save(tenant, priority, writes, attempts);
        Map<LearnerRecord, XeroContact> synced = new LinkedHashMap<>();
        for (int i = 0; i < adopted.size(); i++) {
            if (results.get(i) instanceof ContactResult.Saved saved) {
                synced.put(adopted.get(i), saved.contact());
            } else {
                failed(tenant, adopted.get(i), (ContactResult.Refused) results.get(i));
            }
        }
        synced(tenant, synced);
    }

    /** Records what Xero accepted of one call, in batches: links and states, then logbook entries. */
    private void synced(XeroTenant tenant, Map<LearnerRecord, XeroContact> synced) {
        if (synced.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<LearnerStore.Synced> records = new ArrayList<>();
        List<Logbook.Entry> entries = new ArrayList<>();
        synced.forEach((r, contact) -> {
            // Xero's UpdatedDateUTC of what it just wrote: the CONTACT webhook this write raises is known as our echo.
            records.add(new LearnerStore.Synced(r.learnerId(), contact.contactId(), contact.name(), contact.contactNumber(),
                    ContactDetails.of(r.learner()).fingerprint(), contact.updatedAt()));
            boolean created = r.contactId() == null;
            entries.add(new Logbook.Entry(r.learnerId(), new LogEntry(now, created ? "CONTACT_CREATED" : "CONTACT_UPDATED",
                    (created ? "Synced to Xero as contact " : "Contact updated in Xero: ") + contact.name(),
                    Map.of("contactId", contact.contactId()))));
        });
        learners.recordSynced(tenant.orgId(), records, now);
        logbook.append(tenant.orgId(), entries);
        synced.forEach((r, contact) -> LOG.info("learner.synced", "orgId", tenant.orgId(), "tenantId", tenant.tenantId(),
                "learnerId", r.learnerId(), "contactId", contact.contactId()));
    }

    private void failed(XeroTenant tenant, LearnerRecord r, ContactResult.Refused refused) {
        String message = refused.xeroText() + " " + advice(refused.reason());
        learners.recordFailed(tenant.orgId(), r.learnerId(), message, clock.instant());
        Map<String, String> ids = r.contactId() == null ? Map.of() : Map.of("contactId", r.contactId());
        logbook.append(tenant.orgId(), r.learnerId(), new LogEntry(clock.instant(), "SYNC_FAILED", message, ids));
        LOG.warn("learner.syncFailed", "orgId", tenant.orgId(), "tenantId", tenant.tenantId(), "learnerId", r.learnerId(),
                "reason", refused.reason().name(), "xeroMessage", refused.xeroText());
    }

    /** What staff can do about Xero's refusal, in their words. */
    static String advice(ContactResult.Reason reason) {
        return switch (reason) {
            case ARCHIVED -> "What to do: restore the contact in Xero (or, if finance merged it, wait for the merge to reach"
                    + " the LRM), then press Manual Sync.";
            case NAME_TAKEN -> "What to do: another active Xero contact has this name; rename or archive that contact in Xero,"
                    + " or correct the learner's name, then press Manual Sync.";
            case NUMBER_TAKEN -> "What to do: another Xero contact uses this RefInternal as its contact number; correct one of"
                    + " them, then press Manual Sync.";
            case OTHER -> "What to do: correct the learner in the LRM and save, or fix the contact in Xero, then press Manual Sync.";
        };
    }

    private static ContactWrite write(LearnerRecord r, String contactId) {
        return new ContactWrite(contactId, ContactDetails.of(r.learner()));
    }

    /**
     * The same batch of the same details, sent for the same attempts, gets the same key, so Xero replays
     * its first answer to a retry instead of creating the contacts again. Another attempt gets another
     * key: Xero remembers an answer for a day, and a person who fixed a name clash in Xero and pressed
     * Manual Sync must not be answered with the old refusal.
     */
    static String idempotencyKey(String orgId, Set<String> attempts, List<ContactWrite> writes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(orgId.getBytes(StandardCharsets.UTF_8));
            for (String attempt : attempts) {
                sha.update(('\u001d' + attempt).getBytes(StandardCharsets.UTF_8));
            }
            for (ContactWrite w : writes) {
                ContactDetails d = w.details();
                sha.update((String.valueOf(w.contactId()) + '\u001f' + d.contactNumber() + '\u001f' + d.name() + '\u001f'
                        + d.firstName() + '\u001f' + d.lastName() + '\u001f' + d.email() + '\u001f'
                        + d.phone() + '\u001f' + d.address() + '\u001e').getBytes(StandardCharsets.UTF_8));
            }
            return "lrm-contacts-" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
