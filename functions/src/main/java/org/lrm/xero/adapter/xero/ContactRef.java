package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The contact a transaction belongs to, as Xero embeds it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContactRef(
        @JsonProperty("ContactID") String contactId,
        @JsonProperty("Name") String name,
        @JsonProperty("ContactNumber") String contactNumber) {
}
