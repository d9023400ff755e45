package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.adapter.xero.Contact;
import org.lrm.xero.adapter.xero.ContactDraft;
import org.lrm.xero.adapter.xero.ContactQuery;
import org.lrm.xero.adapter.xero.ContactUpsertResult;
import org.lrm.xero.adapter.xero.Invoice;
import org.lrm.xero.adapter.xero.InvoiceQuery;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.xero.XeroGateway;
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
    private static final int PAGE_SIZE = 100;

    private final XeroGateway gateway;
    private final XeroClient xero;
    private final LearnerStore learners;
    private final Logbook logbook;
    private final InvoiceUpdates invoices;
    private final Clock clock;

    public ContactChanges(XeroGateway gateway, XeroClient xero, LearnerStore learners, Logbook logbook,
            InvoiceUpdates invoices, Clock clock) {
        this.gateway = gateway;
        this.xero = xero;
        this.learners = learners;
        this.logbook = logbook;
        this.invoices = invoices;
        this.clock = clock;
    }

    public void apply(String orgId, String tenantId, Priority priority, Collection<String> contactIds) {
        Map<String, String> linked = learners.learnersOfContacts(orgId, contactIds);
        Map<String, String> learnerOfContact = new LinkedHashMap<>();
        contactIds.stream().filter(linked::containsKey).forEach(c -> learnerOfContact.put(c, linked.get(c)));
        if (learnerOfContact.isEmpty()) {
            return;
        }
        List<Contact> contacts = gateway.call(orgId, tenantId, priority, "GET Contacts by IDs",
                call -> xero.getContacts(call, ContactQuery.byIds(learnerOfContact.keySet()).withIncludeArchived(true)));
        for (Contact contact : contacts) {
            String learnerId = learnerOfContact.get(contact.contactId());
            if (learnerId == null || !contact.archived()) {
                continue;
            }
            Optional<LearnerRecord> learner = learners.find(orgId, learnerId);
            if (learner.isEmpty() || !contact.contactId().equals(learner.get().contactId())) {
                continue; // not (or no longer) the learner's own contact: nothing to move
            }
            if (contact.mergedToContactId() != null) {
                adopt(orgId, tenantId, priority, learner.get(), contact);
            } else {
                flagArchived(orgId, learner.get(), contact);
            }
        }
    }

    private void adopt(String orgId, String tenantId, Priority priority, LearnerRecord learner, Contact merged) {
        String survivorId = merged.mergedToContactId();
        Contact survivor = gateway.call(orgId, tenantId, priority, "GET Contacts by IDs",
                call -> xero.getContacts(call, ContactQuery.byIds(List.of(survivorId)).withIncludeArchived(true)))
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("Xero has no contact " + survivorId));
        String refInternal = learner.learner().refInternal();
        if (survivor.contactNumber() == null || survivor.contactNumber().isBlank()) {
            ContactDraft numbered = new ContactDraft(survivorId, refInternal, null, null, null, null, null, null);
            List<ContactUpsertResult> results = gateway.call(orgId, tenantId, priority, "POST Contacts",
                    call -> xero.upsertContacts(call, List.of(numbered), "adopt-" + survivorId + "-" + learner.learnerId()));
            if (results.get(0).accepted()) {
                survivor = results.get(0).contact();
            } else {
                LOG.warn("contact.adopt.numberRefused", "orgId", orgId, "tenantId", tenantId,
                        "learnerId", learner.learnerId(), "contactId", survivorId, "errors", results.get(0).validationErrors().toString());
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
        List<Invoice> theirs = new ArrayList<>();
        int page = 1;
        while (true) {
            int p = page;
            List<Invoice> batch = gateway.call(orgId, tenantId, priority, "GET Invoices by ContactIDs",
                    call -> xero.getInvoices(call, InvoiceQuery.all().withContactIds(List.of(survivorId)).withPage(p, PAGE_SIZE)));
            theirs.addAll(batch);
            if (batch.size() < PAGE_SIZE) {
                break;
            }
            page++;
        }
        invoices.apply(orgId, tenantId, theirs);
    }

    private void flagArchived(String orgId, LearnerRecord learner, Contact contact) {
        String message = "Finance archived this learner's Xero contact " + contact.name()
                + " without merging it: restore it in Xero, or link the learner to the contact finance uses now.";
        learners.recordFailed(orgId, learner.learnerId(), message, clock.instant());
        logbook.appendOnce(orgId, learner.learnerId(), "contact:" + contact.contactId() + ":archived:" + contact.updatedDateUtc(),
                new LogEntry(clock.instant(), "CONTACT_ARCHIVED", message, Map.of("contactId", contact.contactId())));
        LOG.warn("contact.archived", "orgId", orgId, "learnerId", learner.learnerId(), "contactId", contact.contactId());
    }
}
