package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A Xero invoice (ACCREC: a sales invoice; ACCPAY: a bill) with what has been paid and credited. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Invoice(
        @JsonProperty("InvoiceID") String invoiceId,
        @JsonProperty("InvoiceNumber") String invoiceNumber,
        @JsonProperty("Reference") String reference,
        @JsonProperty("Type") String type,
        @JsonProperty("Status") String status,
        @JsonProperty("Contact") ContactRef contact,
        @JsonProperty("Date") @JsonDeserialize(using = XeroDates.LocalDateDeserializer.class) LocalDate date,
        @JsonProperty("DueDate") @JsonDeserialize(using = XeroDates.LocalDateDeserializer.class) LocalDate dueDate,
        @JsonProperty("CurrencyCode") String currencyCode,
        @JsonProperty("SubTotal") BigDecimal subTotal,
        @JsonProperty("TotalTax") BigDecimal totalTax,
        @JsonProperty("Total") BigDecimal total,
        @JsonProperty("AmountDue") BigDecimal amountDue,
        @JsonProperty("AmountPaid") BigDecimal amountPaid,
        @JsonProperty("AmountCredited") BigDecimal amountCredited,
        @JsonProperty("UpdatedDateUTC") @JsonDeserialize(using = XeroDates.InstantDeserializer.class) Instant updatedDateUtc,
        @JsonProperty("Payments") List<Payment> payments,
        @JsonProperty("CreditNotes") List<CreditNote> creditNotes,
        @JsonProperty("Prepayments") List<Prepayment> prepayments,
        @JsonProperty("Overpayments") List<Overpayment> overpayments,
        @JsonProperty("HasAttachments") Boolean hasAttachments) {

    public Invoice {
        payments = payments == null ? List.of() : List.copyOf(payments);
        creditNotes = creditNotes == null ? List.of() : List.copyOf(creditNotes);
        prepayments = prepayments == null ? List.of() : List.copyOf(prepayments);
        overpayments = overpayments == null ? List.of() : List.copyOf(overpayments);
    }
}
