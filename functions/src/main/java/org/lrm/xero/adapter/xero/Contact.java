package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.List;
import org.lrm.xero.app.xero.XeroContact;

/** A Xero contact as Xero returns it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Contact(
        @JsonProperty("ContactID") String contactId,
        @JsonProperty("ContactNumber") String contactNumber,
        @JsonProperty("ContactStatus") String contactStatus,
        @JsonProperty("Name") String name,
        @JsonProperty("FirstName") String firstName,
        @JsonProperty("LastName") String lastName,
        @JsonProperty("EmailAddress") String emailAddress,
        @JsonProperty("Phones") List<Phone> phones,
        @JsonProperty("Addresses") List<Address> addresses,
        @JsonProperty("MergedToContactID") String mergedToContactId,
        @JsonProperty("UpdatedDateUTC") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant updatedDateUtc,
        @JsonProperty("HasValidationErrors") Boolean hasValidationErrors,
        @JsonProperty("ValidationErrors") List<ValidationError> validationErrors) {

    public Contact {
        phones = phones == null ? List.of() : List.copyOf(phones);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        validationErrors = validationErrors == null ? List.of() : List.copyOf(validationErrors);
    }

    public boolean archived() {
        return "ARCHIVED".equals(contactStatus);
    }

    /** The contact as the integration reads it. */
    public XeroContact toXeroContact() {
        return new XeroContact(contactId, name, contactNumber, archived(), mergedToContactId, updatedDateUtc);
    }

    /** Xero's validation messages for this contact; empty when it was accepted. */
    public List<String> validationMessages() {
        return validationErrors.stream().map(ValidationError::message).toList();
    }

    public boolean failedValidation() {
        return Boolean.TRUE.equals(hasValidationErrors) || !validationErrors.isEmpty();
    }
}
