package org.lrm.xero.architecture.planted.domain;

import org.lrm.xero.architecture.planted.adapter.WireInvoice;

/** Planted violation: the domain reading an adapter's wire DTO (as InvoiceProjection once did). */
public final class LeakyInvoice {

    private LeakyInvoice() {
    }

    public static PlainInvoice project(WireInvoice wire) {
        return new PlainInvoice(wire.invoiceId());
    }
}
