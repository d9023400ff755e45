package org.lrm.xero.adapter.xero;

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
}
