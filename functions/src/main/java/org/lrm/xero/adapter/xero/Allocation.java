package org.lrm.xero.adapter.xero;

import java.util.List;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.LocalDate;

/** Part of a credit note, prepayment or overpayment applied to an invoice. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Allocation(
        @JsonProperty("AllocationID") String allocationId,
        @JsonProperty("Amount") BigDecimal amount,
        @JsonProperty("Date") @JsonDeserialize(using = XeroDates.LocalDateDeserializer.class) LocalDate date,
        @JsonProperty("Invoice") InvoiceRef invoice,
        @JsonProperty("IsDeleted") Boolean isDeleted) {

    /** The invoices these allocations apply credit to: what a credit note, prepayment or overpayment touches. */
    public static List<String> invoiceIds(List<Allocation> allocations) {
        return allocations.stream().filter(a -> a.invoice() != null && a.invoice().invoiceId() != null)
                .map(a -> a.invoice().invoiceId()).toList();
    }
}
