package org.lrm.xero.adapter.xero;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.lrm.xero.app.xero.ContactResult;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroPage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.rate.Priority;

/**
 * {@link XeroContacts} over Xero's {@code /Contacts}, every call through the {@link XeroGateway}:
 * writes with {@code summarizeErrors=false} (each element saved or refused on its own), reads by
 * {@code IDs} or by a ContactNumber {@code where} filter, archived contacts included, split by
 * {@link FilterChunks} and always paged: Xero returns {@code MergedToContactID} "only when using
 * paging or when fetching a contact by ContactId or ContactNumber" (its OpenAPI document), and a
 * merge is what these reads look for.
 */
public final class XeroApiContacts implements XeroContacts {

    /** Page size of the reads by ids or numbers: larger than a chunk, so each chunk is one call. */
    static final int PAGE_SIZE = 100;

    private final XeroClient xero;
    private final XeroGateway gateway;

    public XeroApiContacts(XeroClient xero, XeroGateway gateway) {
        this.xero = xero;
        this.gateway = gateway;
    }

    @Override
    public List<ContactResult> save(XeroTenant tenant, Priority priority, List<ContactWrite> contacts, String idempotencyKey) {
        List<ContactDraft> drafts = contacts.stream().map(ContactDraft::of).toList();
        return gateway.call(tenant, priority, "upsertContacts", call -> xero.upsertContacts(call, drafts, idempotencyKey))
                .stream().map(XeroApiContacts::result).toList();
    }

    @Override
    public ContactResult number(XeroTenant tenant, Priority priority, String contactId, String contactNumber,
            String idempotencyKey) {
        List<ContactDraft> draft = List.of(ContactDraft.numberOnly(contactId, contactNumber));
        return result(gateway.call(tenant, priority, "POST Contacts", call -> xero.upsertContacts(call, draft, idempotencyKey))
                .get(0));
    }

    @Override
    public List<XeroContact> withNumbers(XeroTenant tenant, Priority priority, Collection<String> contactNumbers) {
        return readEach(tenant, priority, "GET Contacts by ContactNumber", contactNumbers,
                chunk -> ContactQuery.byContactNumbers(chunk).withIncludeArchived(true));
    }

    @Override
    public List<XeroContact> withIds(XeroTenant tenant, Priority priority, Collection<String> contactIds) {
        return readEach(tenant, priority, "GET Contacts by IDs", contactIds,
                chunk -> ContactQuery.byIds(chunk).withIncludeArchived(true));
    }

    @Override
    public XeroPage<XeroContact> archivedSince(XeroTenant tenant, Priority priority, Instant since, int page) {
        ContactQuery query = ContactQuery.all().withWhere(Where.contactStatus("ARCHIVED")).withIncludeArchived(true)
                .withModifiedSince(since);
        String operation = "GET Contacts archived";
        XeroPages<Contact> pages = XeroPages.startingAt(page, Paging.MAX_PAGE_SIZE,
                (p, size) -> gateway.attempt(tenant, priority, operation, call -> xero.getContacts(call, query.withPage(p, size))));
        XeroPage<Contact> read = XeroGateway.valueOf(operation, pages.readPage());
        return new XeroPage<>(read.items().stream().map(Contact::toXeroContact).toList(), read.more());
    }

    /** The contacts matching {@code values}, a chunk of them to a filter, each chunk read page by page. */
    private List<XeroContact> readEach(XeroTenant tenant, Priority priority, String operation, Collection<String> values,
            Function<List<String>, ContactQuery> queryOf) {
        List<XeroContact> found = new ArrayList<>();
        for (List<String> chunk : FilterChunks.of(values, c -> queryOf.apply(c).withPage(1, PAGE_SIZE).queryString())) {
            ContactQuery query = queryOf.apply(chunk);
            XeroPages<Contact> pages = XeroPages.of(PAGE_SIZE,
                    (p, size) -> gateway.attempt(tenant, priority, operation, call -> xero.getContacts(call, query.withPage(p, size))));
            XeroGateway.valueOf(operation, pages.all()).forEach(c -> found.add(c.toXeroContact()));
        }
        return found;
    }

    private static ContactResult result(ContactUpsertResult result) {
        return result.accepted() ? new ContactResult.Saved(result.contact().toXeroContact())
                : ContactRefusals.of(new ArrayList<>(result.validationErrors()));
    }
}
