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
 *   <li>an unlinked learner whose ContactNumber (its RefInternal) Xero already has is found by
 *       that number and adopted instead of created (a lost link).</li>
 * </ul>
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
        Set<String> unfinished = new LinkedHashSet<>();
        toPush.forEach(r -> unfinished.add(r.learnerId()));
        RuntimeException stoppedBy = null;
        for (int i = 0; i < toPush.size() && stoppedBy == null; i += XeroContacts.PER_CALL) {
            List<LearnerRecord> chunk = toPush.subList(i, Math.min(i + XeroContacts.PER_CALL, toPush.size()));
            Priority priority = chunk.stream().anyMatch(r -> wanted.get(r.learnerId()).priority == Priority.INTERACTIVE)
                    ? Priority.INTERACTIVE : Priority.BULK;
            try {
                push(tenant, priority, chunk, attemptsOf(chunk, wanted));
                chunk.forEach(r -> unfinished.remove(r.learnerId()));
            } catch (RuntimeException e) {
                stoppedBy = e;
            }
        }
        for (Map.Entry<String, Set<String>> m : learnersOfMessage.entrySet()) {
            boolean done = m.getValue().stream().noneMatch(unfinished::contains);
            outcomes.put(m.getKey(), done ? WorkOutcome.DONE : WorkOutcome.of(stoppedBy));
        }
        return outcomes;
    }

    /** The attempts the chunk's learners were queued by, in a stable order. */
    private static Set<String> attemptsOf(List<LearnerRecord> chunk, Map<String, Wanted> wanted) {
        Set<String> attempts = new java.util.TreeSet<>();
        chunk.forEach(r -> attempts.addAll(wanted.get(r.learnerId()).attempts));
        return attempts;
    }

    /** One Xero call for up to 50 learners, plus one to adopt existing contacts when Xero says they exist. */
    private void push(XeroTenant tenant, Priority priority, List<LearnerRecord> chunk, Set<String> attempts) {
        List<ContactResult> results = save(tenant, priority, chunk.stream().map(r -> write(r, r.contactId())).toList(),
                attempts);
        List<LearnerRecord> maybeExisting = new ArrayList<>();
        Map<LearnerRecord, XeroContact> synced = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            LearnerRecord r = chunk.get(i);
            ContactResult result = results.get(i);
            if (result instanceof ContactResult.Saved saved) {
                synced.put(r, saved.contact());
            } else if (r.contactId() == null && ((ContactResult.Refused) result).reason().taken()) {
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
        Map<String, XeroContact> byNumber = new HashMap<>();
        for (XeroContact c : xero.withNumbers(tenant, priority, refs)) {
            if (c.contactNumber() != null) {
                byNumber.put(c.contactNumber().toLowerCase(Locale.ROOT), c);
            }
        }
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
            records.add(new LearnerStore.Synced(r.learnerId(), contact.contactId(), contact.name(), contact.contactNumber(),
                    ContactDetails.of(r.learner()).fingerprint()));
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
