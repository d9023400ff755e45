package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A Xero payment. Inside an invoice Xero sends only some fields (PaymentID, Date, Amount, Reference,
 * CurrencyRate...); the others are then null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Payment(
        @JsonProperty("PaymentID") String paymentId,
        @JsonProperty("Date") @JsonDeserialize(using = XeroDates.LocalDateDeserializer.class) LocalDate date,
        @JsonProperty("Amount") BigDecimal amount,
        @JsonProperty("CurrencyRate") BigDecimal currencyRate,
        @JsonProperty("Reference") String reference,
        @JsonProperty("Status") String status,
        @JsonProperty("PaymentType") String paymentType,
        @JsonProperty("IsReconciled") Boolean isReconciled,
        @JsonProperty("Invoice") InvoiceRef invoice,
        @JsonProperty("UpdatedDateUTC") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant updatedDateUtc) {
}
