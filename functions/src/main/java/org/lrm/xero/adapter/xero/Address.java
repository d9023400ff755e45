package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A Xero contact address. AddressType is POBOX (postal) or STREET. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(
        @JsonProperty("AddressType") String addressType,
        @JsonProperty("AddressLine1") String addressLine1,
        @JsonProperty("AddressLine2") String addressLine2,
        @JsonProperty("AddressLine3") String addressLine3,
        @JsonProperty("AddressLine4") String addressLine4,
        @JsonProperty("City") String city,
        @JsonProperty("Region") String region,
        @JsonProperty("PostalCode") String postalCode,
        @JsonProperty("Country") String country,
        @JsonProperty("AttentionTo") String attentionTo) {

    /** A postal address (Xero's POBOX type, the one printed on invoices). */
    public static Address postal(String line1, String line2, String city, String region, String postalCode, String country) {
        return new Address("POBOX", line1, line2, null, null, city, region, postalCode, country, null);
    }
}
