package org.lrm.xero.architecture.planted.domain;

/** Planted: a domain record as the rules want it. */
public record PlainInvoice(String invoiceId) {
}
