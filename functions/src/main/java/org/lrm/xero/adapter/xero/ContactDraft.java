package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.domain.learner.ContactDetails;

/**
 * A contact as the integration sends it to {@code POST /Contacts}. {@code contactId} is null to create
 * and set to update; null fields are not sent, so Xero keeps what it has for them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ContactID", "ContactNumber", "Name", "FirstName", "LastName", "EmailAddress", "Phones", "Addresses"})
public record ContactDraft(
        @JsonProperty("ContactID") String contactId,
        @JsonProperty("ContactNumber") String contactNumber,
        @JsonProperty("Name") String name,
        @JsonProperty("FirstName") String firstName,
        @JsonProperty("LastName") String lastName,
        @JsonProperty("EmailAddress") String emailAddress,
        @JsonIgnore Phone phone,
        @JsonIgnore Address address) {

    @JsonProperty("Phones")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<Phone> phonesForXero() {
        return phone == null ? List.of() : List.of(phone);
    }

    @JsonProperty("Addresses")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<Address> addressesForXero() {
        return address == null ? List.of() : List.of(address);
    }

    /**
     * The contact a learner's details become in Xero: its phone as Xero's DEFAULT phone, its address
     * as the postal address (POBOX, the one printed on invoices).
     */
    public static ContactDraft of(ContactWrite write) {
        ContactDetails c = write.details();
        org.lrm.xero.domain.learner.Address a = c.address();
        return new ContactDraft(write.contactId(), c.contactNumber(), c.name(), c.firstName(), c.lastName(), c.email(),
                c.phone() == null ? null : Phone.defaultPhone(c.phone()),
                a == null ? null : Address.postal(a.line1(), null, a.city(), a.region(), a.postalCode(), a.country()));
    }

    /** Only a ContactNumber for an existing contact: everything else stays as Xero holds it. */
    public static ContactDraft numberOnly(String contactId, String contactNumber) {
        return new ContactDraft(contactId, contactNumber, null, null, null, null, null, null);
    }

    public ContactDraft withContactId(String id) {
        return new ContactDraft(id, contactNumber, name, firstName, lastName, emailAddress, phone, address);
    }
}
