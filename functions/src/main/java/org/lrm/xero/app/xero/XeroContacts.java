package org.lrm.xero.app.xero;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.lrm.xero.domain.rate.Priority;

/**
 * Xero's contacts, as learner sync and contact changes need them. Each call to Xero is made within
 * the tenant's call budget at {@code priority}, with the organisation's access token. Each method may throw {@link org.lrm.xero.app.rate.WaitForBudget} (no
 * budget now), {@link ConnectionUnavailable} (the organisation must connect again) or
 * {@link XeroCallFailed} (Xero answered otherwise).
 */
public interface XeroContacts {

    /** Contacts per {@link #save} call: Xero's documented maximum of elements per write. */
    int PER_CALL = 50;

    /**
     * Creates or updates up to {@link #PER_CALL} contacts in one call, each saved or refused on its own.
     * A call repeated with the same {@code idempotencyKey} gets Xero's first answer again: nothing is
     * created twice when the first answer was lost.
     *
     * @return one result per contact, in the order sent
     */
    List<ContactResult> save(XeroTenant tenant, Priority priority, List<ContactWrite> contacts, String idempotencyKey);

    /** Gives a contact a ContactNumber, leaving everything else as Xero holds it. */
    ContactResult number(XeroTenant tenant, Priority priority, String contactId, String contactNumber,
            String idempotencyKey);

    /**
     * The contacts, archived ones included, with these ContactNumbers, each with the contact Xero merged
     * it into; as many calls as Xero's limits on a filter need.
     */
    List<XeroContact> withNumbers(XeroTenant tenant, Priority priority, Collection<String> contactNumbers);

    /**
     * The contacts, archived ones included, with these ids, each with the contact Xero merged it into;
     * as many calls as Xero's limits on a filter need.
     */
    List<XeroContact> withIds(XeroTenant tenant, Priority priority, Collection<String> contactIds);

    /**
     * One page (one call) of the contacts archived since {@code since}, each with the contact Xero merged
     * it into (a merge archives the contact merged away).
     */
    XeroPage<XeroContact> archivedSince(XeroTenant tenant, Priority priority, Instant since, int page);
}
