package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A Xero overpayment (RECEIVE-OVERPAYMENT or SPEND-OVERPAYMENT) with its allocations. Inside an invoice Xero sends only some fields; the others are then null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Overpayment(
        @JsonProperty("OverpaymentID") String overpaymentId,
        @JsonProperty("Type") String type,
        @JsonProperty("Status") String status,
        @JsonProperty("Reference") String reference,
        @JsonProperty("Contact") ContactRef contact,
        @JsonProperty("Date") @JsonDeserialize(using = XeroDates.LocalDateDeserializer.class) LocalDate date,
        @JsonProperty("CurrencyCode") String currencyCode,
        @JsonProperty("CurrencyRate") BigDecimal currencyRate,
        @JsonProperty("SubTotal") BigDecimal subTotal,
        @JsonProperty("TotalTax") BigDecimal totalTax,
        @JsonProperty("Total") BigDecimal total,
        @JsonProperty("RemainingCredit") BigDecimal remainingCredit,
        @JsonProperty("AppliedAmount") BigDecimal appliedAmount,
        @JsonProperty("UpdatedDateUTC") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant updatedDateUtc,
        @JsonProperty("Allocations") List<Allocation> allocations,
        @JsonProperty("Payments") List<Payment> payments,
        @JsonProperty("HasAttachments") Boolean hasAttachments) {

    public Overpayment {
        allocations = allocations == null ? List.of() : List.copyOf(allocations);
        payments = payments == null ? List.of() : List.copyOf(payments);
    }
}
