package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The invoice a payment or allocation applies to, as Xero embeds it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceRef(
        @JsonProperty("InvoiceID") String invoiceId,
        @JsonProperty("InvoiceNumber") String invoiceNumber,
        @JsonProperty("Type") String type) {
}
