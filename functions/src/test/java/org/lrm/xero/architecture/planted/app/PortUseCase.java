package org.lrm.xero.architecture.planted.app;

import org.lrm.xero.architecture.planted.domain.PlainInvoice;

/** Planted: a use case as the rules want it, over its port and the domain. */
public final class PortUseCase {

    private final InvoicesPort invoices;

    public PortUseCase(InvoicesPort invoices) {
        this.invoices = invoices;
    }

    public PlainInvoice read(String id) {
        return new PlainInvoice(invoices.invoice(id));
    }
}
