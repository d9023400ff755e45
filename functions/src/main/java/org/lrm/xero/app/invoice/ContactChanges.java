package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.xero.ContactResult;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * What finance did to learners' contacts in Xero. A learner's contact archived with
 * {@code MergedToContactID} (finance merged it into another): the learner adopts the surviving
 * contact (its ContactNumber set to the learner's RefInternal when it has none) and that contact's
 * invoices come to the learner. Archived without a merge: the learner is flagged, for staff to
 * sort out with finance. Contacts no learner is linked to cost no Xero call.
 */
public final class ContactChanges {

    /** Marks a link made by adoption: the surviving contact's details are finance's, not yet the learner's. */
    static final String ADOPTED_FINGERPRINT = "adopted-from-xero-merge";

    private static final JsonLog LOG = JsonLog.forClass(ContactChanges.class);

    private final XeroContacts contacts;
    private final XeroLedger ledger;
    private final LearnerStore learners;
    private final Logbook logbook;
    private final InvoiceUpdates invoices;
    private final Clock clock;

    public ContactChanges(XeroContacts contacts, XeroLedger ledger, LearnerStore learners, Logbook logbook,
            InvoiceUpdates invoices, Clock clock) {
        this.contacts = contacts;
        this.ledger = ledger;
        this.learners = learners;
        this.logbook = logbook;
        this.invoices = invoices;
        this.clock = clock;
    }

    /**
     * Contacts Xero says changed (webhook CONTACT events): those learners are linked to are read from
     * Xero, in the form Xero shows a merge in.
     */
    public void apply(XeroTenant tenant, Priority priority, Collection<String> contactIds) {
        Map<String, String> learnerOfContact = linked(tenant.orgId(), contactIds);
        if (!learnerOfContact.isEmpty()) {
            follow(tenant, priority, learnerOfContact, contacts.withIds(tenant, priority, learnerOfContact.keySet()));
        }
    }

    /**
     * Contacts already read from Xero with their merges (a page of the contacts archived since the last
     * night): no call reads them again.
     */
    public void applyRead(XeroTenant tenant, Priority priority, List<XeroContact> read) {
        Map<String, String> learnerOfContact = linked(tenant.orgId(), read.stream().map(XeroContact::contactId).toList());
        if (!learnerOfContact.isEmpty()) {
            follow(tenant, priority, learnerOfContact, read);
        }
    }

    /** Contact id to learner id, for the contacts among these that a learner is linked to, in their order. */
    private Map<String, String> linked(String orgId, Collection<String> contactIds) {
        Map<String, String> linked = learners.learnersOfContacts(orgId, contactIds);
        Map<String, String> learnerOfContact = new LinkedHashMap<>();
        contactIds.stream().filter(linked::containsKey).forEach(c -> learnerOfContact.put(c, linked.get(c)));
        return learnerOfContact;
    }

    private void follow(XeroTenant tenant, Priority priority, Map<String, String> learnerOfContact, List<XeroContact> read) {
        String orgId = tenant.orgId();
        for (XeroContact contact : read) {
            String learnerId = learnerOfContact.get(contact.contactId());
            if (learnerId == null || !contact.archived()) {
                continue;
            }
            Optional<LearnerRecord> learner = learners.find(orgId, learnerId);
            if (learner.isEmpty() || !contact.contactId().equals(learner.get().contactId())) {
                continue; // not (or no longer) the learner's own contact: nothing to move
            }
            if (contact.mergedInto() != null) {
                adopt(tenant, priority, learner.get(), contact);
            } else {
                flagArchived(orgId, learner.get(), contact);
            }
        }
    }

    private void adopt(XeroTenant tenant, Priority priority, LearnerRecord learner, XeroContact merged) {
        String orgId = tenant.orgId();
        String tenantId = tenant.tenantId();
        String survivorId = merged.mergedInto();
        XeroContact survivor = contacts.withIds(tenant, priority, List.of(survivorId)).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("Xero has no contact " + survivorId));
        String refInternal = learner.learner().refInternal();
        if (survivor.contactNumber() == null || survivor.contactNumber().isBlank()) {
            ContactResult numbered = contacts.number(tenant, priority, survivorId, refInternal,
                    "adopt-" + survivorId + "-" + learner.learnerId());
            if (numbered instanceof ContactResult.Saved saved) {
                survivor = saved.contact();
            } else {
                LOG.warn("contact.adopt.numberRefused", "orgId", orgId, "tenantId", tenantId, "learnerId", learner.learnerId(),
                        "contactId", survivorId, "errors", ((ContactResult.Refused) numbered).xeroText());
            }
        }
        // A number Xero refused (another contact holds it) leaves the survivor without one.
        learners.recordSynced(orgId, learner.learnerId(), survivorId, survivor.name(),
                survivor.contactNumber(), ADOPTED_FINGERPRINT, clock.instant());
        logbook.appendOnce(orgId, learner.learnerId(), "contact:" + merged.contactId() + ":merged:" + survivorId,
                new LogEntry(clock.instant(), "CONTACT_MERGED", "Finance merged contact " + merged.name()
                        + " into " + survivor.name() + " in Xero; the learner now uses " + survivor.name() + ".",
                        Map.of("contactId", merged.contactId(), "intoContactId", survivorId)));
        LOG.info("contact.adopted", "orgId", orgId, "tenantId", tenantId, "learnerId", learner.learnerId(),
                "contactId", merged.contactId(), "intoContactId", survivorId);
        invoices.apply(tenant, ledger.invoicesOfContact(tenant, priority, survivorId));
    }

    private void flagArchived(String orgId, LearnerRecord learner, XeroContact contact) {
        String message = "Finance archived this learner's Xero contact " + contact.name()
                + " without merging it: restore it in Xero, or link the learner to the contact finance uses now.";
        learners.recordFailed(orgId, learner.learnerId(), message, clock.instant());
        logbook.appendOnce(orgId, learner.learnerId(), "contact:" + contact.contactId() + ":archived:" + contact.updatedAt(),
                new LogEntry(clock.instant(), "CONTACT_ARCHIVED", message, Map.of("contactId", contact.contactId())));
        LOG.warn("contact.archived", "orgId", orgId, "learnerId", learner.learnerId(), "contactId", contact.contactId());
    }
}
