package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A Xero contact phone. PhoneType is DEFAULT, DDI, MOBILE or FAX. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Phone(
        @JsonProperty("PhoneType") String phoneType,
        @JsonProperty("PhoneNumber") String phoneNumber,
        @JsonProperty("PhoneAreaCode") String phoneAreaCode,
        @JsonProperty("PhoneCountryCode") String phoneCountryCode) {

    public static Phone mobile(String number) {
        return new Phone("MOBILE", number, null, null);
    }

    public static Phone defaultPhone(String number) {
        return new Phone("DEFAULT", number, null, null);
    }
}
