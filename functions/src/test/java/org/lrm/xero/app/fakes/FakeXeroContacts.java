package org.lrm.xero.app.fakes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lrm.xero.app.xero.ContactResult;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroPage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.rate.Priority;

/**
 * Xero's contacts in memory, with the rules the learner sync depends on: names unique among active
 * contacts, ContactNumbers unique, archived contacts refused, at most {@link #PER_CALL} per write,
 * and a write repeated with the same idempotency key answered with the first answer. Every call is
 * kept ({@link #calls()}); a test can make the next calls fail ({@link #failNext}).
 */
public final class FakeXeroContacts implements XeroContacts {

    /**
     * One call, as a test checks it.
     *
     * @param contactIds the contact each written contact was sent with (null: to create); empty for reads
     */
    public record Call(String method, XeroTenant tenant, Priority priority, int size, String idempotencyKey,
            List<String> contactIds) {
    }

    private static final class Held {
        String contactId;
        String name;
        String number;
        boolean archived;
        String mergedInto;
        Instant updatedAt;

        XeroContact view() {
            return new XeroContact(contactId, name, number, archived, mergedInto, updatedAt);
        }
    }

    private final Clock clock;
    private final Map<String, Held> contacts = new LinkedHashMap<>();
    private final Map<String, List<ContactResult>> answers = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Optional<RuntimeException>> script = new ArrayDeque<>();
    private int pageSize = 1000;

    private boolean duplicateNumbers;

    public FakeXeroContacts(Clock clock) {
        this.clock = clock;
    }

    /** A contact finance (or an earlier sync) made in Xero; returns its id. */
    public String existing(String name, String number) {
        Held h = new Held();
        h.contactId = UUID.randomUUID().toString();
        h.name = name;
        h.number = number;
        h.updatedAt = clock.instant();
        contacts.put(h.contactId, h);
        return h.contactId;
    }

    /** Finance archives a contact. */
    public void archive(String contactId) {
        Held h = contacts.get(contactId);
        h.archived = true;
        h.updatedAt = clock.instant();
    }

    /** Finance merges a contact into another: Xero archives it and names the survivor. */
    public void merge(String contactId, String intoContactId) {
        archive(contactId);
        contacts.get(contactId).mergedInto = intoContactId;
    }

    /**
     * From now on a ContactNumber another contact has is not refused, as Xero's documents promise no uniqueness
     * (the xero-sandbox behaves so); by default this fake still refuses one, for the tests of that refusal.
     */
    public void allowDuplicateNumbers() {
        this.duplicateNumbers = true;
    }

    /** The next call not yet scripted throws {@code failure} (e.g. a wait for budget), before doing anything. */
    public void failNext(RuntimeException failure) {
        script.add(Optional.of(failure));
    }

    /** The next call not yet scripted is answered as usual (to script a failure after it). */
    public void answerNext() {
        script.add(Optional.empty());
    }

    public void pageSize(int size) {
        this.pageSize = size;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public XeroContact contact(String contactId) {
        return contacts.get(contactId).view();
    }

    /** Every contact Xero holds. */
    public List<XeroContact> all() {
        return contacts.values().stream().map(Held::view).toList();
    }

    @Override
    public List<ContactResult> save(XeroTenant tenant, Priority priority, List<ContactWrite> writes, String idempotencyKey) {
        call("save", tenant, priority, writes.size(), idempotencyKey,
                writes.stream().map(w -> w.contactId() == null ? "" : w.contactId()).toList());
        if (writes.isEmpty() || writes.size() > PER_CALL) {
            throw new IllegalArgumentException("1.." + PER_CALL + " contacts per call, not " + writes.size());
        }
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        List<ContactResult> replay = answers.get(idempotencyKey);
        if (replay != null) {
            return replay;
        }
        List<ContactResult> results = new ArrayList<>();
        for (ContactWrite w : writes) {
            results.add(write(w.contactId(), w.details().name(), w.details().contactNumber()));
        }
        answers.put(idempotencyKey, List.copyOf(results));
        return results;
    }

    @Override
    public ContactResult number(XeroTenant tenant, Priority priority, String contactId, String contactNumber,
            String idempotencyKey) {
        call("number", tenant, priority, 1, idempotencyKey, List.of(contactId));
        return write(contactId, null, contactNumber);
    }

    @Override
    public List<XeroContact> withNumbers(XeroTenant tenant, Priority priority, Collection<String> contactNumbers) {
        call("withNumbers", tenant, priority, contactNumbers.size(), null, List.of());
        return contacts.values().stream().filter(h -> h.number != null
                && contactNumbers.stream().anyMatch(n -> n.equalsIgnoreCase(h.number))).map(Held::view).toList();
    }

    @Override
    public List<XeroContact> withIds(XeroTenant tenant, Priority priority, Collection<String> contactIds) {
        call("withIds", tenant, priority, contactIds.size(), null, List.of());
        return contactIds.stream().map(contacts::get).filter(Objects::nonNull).map(Held::view).toList();
    }

    @Override
    public XeroPage<XeroContact> archivedSince(XeroTenant tenant, Priority priority, Instant since, int page) {
        call("archivedSince", tenant, priority, page, null, List.of());
        List<XeroContact> archived = contacts.values().stream().filter(h -> h.archived && !h.updatedAt.isBefore(since))
                .map(Held::view).toList();
        return FakePages.page(archived, page, pageSize);
    }

    private ContactResult write(String contactId, String name, String number) {
        Held h = contactId == null ? null : contacts.get(contactId);
        if (contactId != null && h == null) {
            return new ContactResult.Refused(ContactResult.Reason.OTHER, List.of("No contact " + contactId + "."));
        }
        if (h != null && h.archived) {
            return new ContactResult.Refused(ContactResult.Reason.ARCHIVED, List.of(
                    "The contact has been archived and cannot be edited. To edit it, restore it (ContactStatus ACTIVE) first."));
        }
        if (name != null && contacts.values().stream().anyMatch(o -> o != h && !o.archived
                && o.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
            return new ContactResult.Refused(ContactResult.Reason.NAME_TAKEN, List.of("The contact name " + name
                    + " is already assigned to another contact. The contact name must be unique across all active contacts."));
        }
        if (!duplicateNumbers && number != null
                && contacts.values().stream().anyMatch(o -> o != h && number.equalsIgnoreCase(o.number))) {
            return new ContactResult.Refused(ContactResult.Reason.NUMBER_TAKEN, List.of("The contact number " + number
                    + " is already assigned to another contact."));
        }
        Held target = h;
        if (target == null) {
            target = new Held();
            target.contactId = UUID.randomUUID().toString();
            contacts.put(target.contactId, target);
        }
        if (name != null) {
            target.name = name;
        }
        if (number != null) {
            target.number = number;
        }
        target.updatedAt = clock.instant();
        return new ContactResult.Saved(target.view());
    }

    private void call(String method, XeroTenant tenant, Priority priority, int size, String key, List<String> contactIds) {
        calls.add(new Call(method, tenant, priority, size, key, contactIds));
        Optional<RuntimeException> scripted = script.poll();
        if (scripted != null && scripted.isPresent()) {
            throw scripted.get();
        }
    }
}
