package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.lrm.xero.domain.invoice.XeroInvoice;

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

    /** The invoice as the projection reads it (Xero's values as they came: amounts unrounded, lines in Xero's order). */
    public XeroInvoice toXeroInvoice() {
        return new XeroInvoice(invoiceId, invoiceNumber, reference, type, status, contact == null ? null : contact.contactId(),
                date, dueDate, currencyCode, total, amountDue, amountPaid, amountCredited, updatedDateUtc,
                payments.stream().map(p -> new XeroInvoice.Payment(p.paymentId(), p.date(), p.amount(), p.status())).toList(),
                creditNotes.stream().map(c -> new XeroInvoice.Credit(c.creditNoteId(), c.creditNoteNumber(), c.date(),
                        c.appliedAmount(), c.total())).toList(),
                prepayments.stream().map(p -> new XeroInvoice.Credit(p.prepaymentId(), null, p.date(), p.appliedAmount(),
                        p.total())).toList(),
                overpayments.stream().map(o -> new XeroInvoice.Credit(o.overpaymentId(), null, o.date(), o.appliedAmount(),
                        o.total())).toList());
    }
}
