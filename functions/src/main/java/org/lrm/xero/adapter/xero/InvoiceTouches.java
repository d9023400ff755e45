package org.lrm.xero.adapter.xero;

import java.util.List;
import org.lrm.xero.app.xero.TouchedInvoices;

/**
 * Which invoices one of Xero's transactions touches, said once for every list: a payment the
 * invoice it pays, a credit note, prepayment or overpayment the invoices it is allocated to, an
 * invoice itself. The transaction poll, the re-sync and credit-note webhooks all read it here.
 */
final class InvoiceTouches {

    private InvoiceTouches() {
    }

    static TouchedInvoices of(Payment payment) {
        InvoiceRef invoice = payment.invoice();
        return new TouchedInvoices(invoice == null || invoice.invoiceId() == null ? List.of() : List.of(invoice.invoiceId()),
                payment.updatedDateUtc());
    }

    static TouchedInvoices of(CreditNote note) {
        return new TouchedInvoices(allocated(note.allocations()), note.updatedDateUtc());
    }

    static TouchedInvoices of(Prepayment prepayment) {
        return new TouchedInvoices(allocated(prepayment.allocations()), prepayment.updatedDateUtc());
    }

    static TouchedInvoices of(Overpayment overpayment) {
        return new TouchedInvoices(allocated(overpayment.allocations()), overpayment.updatedDateUtc());
    }

    static TouchedInvoices of(Invoice invoice) {
        return new TouchedInvoices(List.of(invoice.invoiceId()), invoice.updatedDateUtc());
    }

    private static List<String> allocated(List<Allocation> allocations) {
        return allocations.stream().filter(a -> a.invoice() != null && a.invoice().invoiceId() != null)
                .map(a -> a.invoice().invoiceId()).toList();
    }
}
