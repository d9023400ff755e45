package org.lrm.xero.architecture.planted.adapter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Planted: a wire DTO, as an adapter keeps it. */
public record WireInvoice(@JsonProperty("InvoiceID") String invoiceId) {
}
