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
import org.lrm.xero.adapter.xero.Contact;
import org.lrm.xero.adapter.xero.ContactDraft;
import org.lrm.xero.adapter.xero.ContactQuery;
import org.lrm.xero.adapter.xero.ContactUpsertResult;
import org.lrm.xero.adapter.xero.Phone;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.XeroGateway;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.ContactDetails;
import org.lrm.xero.domain.learner.Learner;
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
 *       it created the first time (a crash between Xero's answer and our write);</li>
 *   <li>an unlinked learner whose ContactNumber (its RefInternal) Xero already has is found by
 *       that number and adopted instead of created (a lost link).</li>
 * </ul>
 * Learners whose details Xero already holds cost no call. Waiting for budget or for a reconnect
 * defers the messages; only Xero's refusal of a learner makes it FAILED.
 */
public final class SyncLearners implements WorkProcessor {

    private static final JsonLog LOG = JsonLog.forClass(SyncLearners.class);
    static final int CONTACTS_PER_CALL = XeroClient.MAX_CONTACTS_PER_UPSERT;

    private final LearnerStore learners;
    private final Logbook logbook;
    private final ConnectionStore connections;
    private final XeroGateway gateway;
    private final XeroClient xero;
    private final Clock clock;

    public SyncLearners(LearnerStore learners, Logbook logbook, ConnectionStore connections, XeroGateway gateway,
                        XeroClient xero, Clock clock) {
        this.learners = learners;
        this.logbook = logbook;
        this.connections = connections;
        this.gateway = gateway;
        this.xero = xero;
        this.clock = clock;
    }

    /** What one learner was queued for, merged over every message that names it. */
    private static final class Wanted {
        boolean force;
        Priority priority = Priority.BULK;
        final List<String> messageIds = new ArrayList<>();
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
            }
        }
        if (wanted.isEmpty()) {
            return outcomes;
        }
        String tenantId = connections.requireUsable(orgId, "learner sync waits for the organisation to connect to Xero")
                .tenantId();
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
        for (int i = 0; i < toPush.size() && stoppedBy == null; i += CONTACTS_PER_CALL) {
            List<LearnerRecord> chunk = toPush.subList(i, Math.min(i + CONTACTS_PER_CALL, toPush.size()));
            Priority priority = chunk.stream().anyMatch(r -> wanted.get(r.learnerId()).priority == Priority.INTERACTIVE)
                    ? Priority.INTERACTIVE : Priority.BULK;
            try {
                push(orgId, tenantId, priority, chunk);
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

    /** One Xero call for up to 50 learners, plus one to adopt existing contacts when Xero says they exist. */
    private void push(String orgId, String tenantId, Priority priority, List<LearnerRecord> chunk) {
        List<ContactDraft> drafts = chunk.stream().map(r -> draft(r.learner(), r.contactId())).toList();
        List<ContactUpsertResult> results = upsert(orgId, tenantId, priority, drafts);
        List<LearnerRecord> maybeExisting = new ArrayList<>();
        Map<LearnerRecord, Contact> synced = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            LearnerRecord r = chunk.get(i);
            ContactUpsertResult result = results.get(i);
            if (result.accepted()) {
                synced.put(r, result.contact());
            } else if (r.contactId() == null && saysAlreadyExists(result.validationErrors())) {
                maybeExisting.add(r);
            } else {
                failed(orgId, tenantId, r, result.validationErrors());
            }
        }
        synced(orgId, tenantId, synced);
        if (!maybeExisting.isEmpty()) {
            adoptExisting(orgId, tenantId, priority, maybeExisting);
        }
    }

    private List<ContactUpsertResult> upsert(String orgId, String tenantId, Priority priority, List<ContactDraft> drafts) {
        String key = idempotencyKey(orgId, drafts);
        return gateway.call(orgId, tenantId, priority, "upsertContacts", call -> xero.upsertContacts(call, drafts, key));
    }

    /**
     * Xero refused to create contacts whose Name or ContactNumber it already has. When a contact
     * carries the learner's RefInternal as ContactNumber it is the learner's own (created before a
     * crash, or its link was lost): adopt it and update it. Otherwise the refusal stands.
     */
    private void adoptExisting(String orgId, String tenantId, Priority priority, List<LearnerRecord> chunk) {
        List<String> refs = chunk.stream().map(r -> r.learner().refInternal()).toList();
        List<Contact> found = gateway.call(orgId, tenantId, priority, "getContacts",
                call -> xero.getContacts(call, ContactQuery.byContactNumbers(refs).withIncludeArchived(true)));
        Map<String, Contact> byNumber = new HashMap<>();
        for (Contact c : found) {
            if (c.contactNumber() != null) {
                byNumber.put(c.contactNumber().toLowerCase(Locale.ROOT), c);
            }
        }
        List<LearnerRecord> adopted = new ArrayList<>();
        List<ContactDraft> drafts = new ArrayList<>();
        for (LearnerRecord r : chunk) {
            Contact existing = byNumber.get(r.learner().refInternal().toLowerCase(Locale.ROOT));
            String contactId = existing == null ? null
                    : "ARCHIVED".equals(existing.contactStatus()) ? existing.mergedToContactId() : existing.contactId();
            if (contactId == null) {
                failed(orgId, tenantId, r, existing == null
                        ? List.of("The contact name " + ContactDetails.of(r.learner()).name()
                                + " is already assigned to another contact. The contact name must be unique across all active contacts.")
                        : List.of("The contact with ContactNumber " + r.learner().refInternal()
                                + " has been archived in Xero."));
                continue;
            }
            LOG.info("learner.contactAdopted", "orgId", orgId, "tenantId", tenantId, "learnerId", r.learnerId(),
                    "contactId", contactId);
            adopted.add(r);
            drafts.add(draft(r.learner(), contactId));
        }
        if (adopted.isEmpty()) {
            return;
        }
        List<ContactUpsertResult> results = upsert(orgId, tenantId, priority, drafts);
        Map<LearnerRecord, Contact> synced = new LinkedHashMap<>();
        for (int i = 0; i < adopted.size(); i++) {
            if (results.get(i).accepted()) {
                synced.put(adopted.get(i), results.get(i).contact());
            } else {
                failed(orgId, tenantId, adopted.get(i), results.get(i).validationErrors());
            }
        }
        synced(orgId, tenantId, synced);
    }

    /** Records what Xero accepted of one call, in batches: links and states, then logbook entries. */
    private void synced(String orgId, String tenantId, Map<LearnerRecord, Contact> synced) {
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
        learners.recordSynced(orgId, records, now);
        logbook.append(orgId, entries);
        synced.forEach((r, contact) -> LOG.info("learner.synced", "orgId", orgId, "tenantId", tenantId,
                "learnerId", r.learnerId(), "contactId", contact.contactId()));
    }

    private void failed(String orgId, String tenantId, LearnerRecord r, List<String> xeroMessages) {
        String message = String.join(" ", xeroMessages) + " " + advice(xeroMessages);
        learners.recordFailed(orgId, r.learnerId(), message, clock.instant());
        Map<String, String> ids = r.contactId() == null ? Map.of() : Map.of("contactId", r.contactId());
        logbook.append(orgId, r.learnerId(), new LogEntry(clock.instant(), "SYNC_FAILED", message, ids));
        LOG.warn("learner.syncFailed", "orgId", orgId, "tenantId", tenantId, "learnerId", r.learnerId(),
                "xeroMessage", String.join(" ", xeroMessages));
    }

    /** What staff can do about Xero's refusal, in their words. */
    static String advice(List<String> xeroMessages) {
        String all = String.join(" ", xeroMessages).toLowerCase(Locale.ROOT);
        if (all.contains("archived")) {
            return "What to do: restore the contact in Xero (or, if finance merged it, wait for the merge to reach"
                    + " the LRM), then press Manual Sync.";
        }
        if (all.contains("name") && all.contains("already assigned")) {
            return "What to do: another active Xero contact has this name; rename or archive that contact in Xero,"
                    + " or correct the learner's name, then press Manual Sync.";
        }
        if (all.contains("number") && all.contains("already assigned")) {
            return "What to do: another Xero contact uses this RefInternal as its contact number; correct one of"
                    + " them, then press Manual Sync.";
        }
        return "What to do: correct the learner in the LRM and save, or fix the contact in Xero, then press Manual Sync.";
    }

    private static boolean saysAlreadyExists(List<String> messages) {
        return messages.stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains("already assigned"));
    }

    static ContactDraft draft(Learner learner, String contactId) {
        ContactDetails c = ContactDetails.of(learner);
        Address a = c.address();
        return new ContactDraft(contactId, c.contactNumber(), c.name(), c.firstName(), c.lastName(), c.email(),
                c.phone() == null ? null : Phone.defaultPhone(c.phone()),
                a == null ? null : org.lrm.xero.adapter.xero.Address.postal(a.line1(), null, a.city(), a.region(),
                        a.postalCode(), a.country()));
    }

    /**
     * The same batch of the same details gets the same key, so Xero replays its first answer to a
     * retry instead of creating the contacts again.
     */
    static String idempotencyKey(String orgId, List<ContactDraft> drafts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(orgId.getBytes(StandardCharsets.UTF_8));
            for (ContactDraft d : drafts) {
                sha.update((String.valueOf(d.contactId()) + '\u001f' + d.contactNumber() + '\u001f' + d.name() + '\u001f'
                        + d.firstName() + '\u001f' + d.lastName() + '\u001f' + d.emailAddress() + '\u001f'
                        + d.phone() + '\u001f' + d.address() + '\u001e').getBytes(StandardCharsets.UTF_8));
            }
            return "lrm-contacts-" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
