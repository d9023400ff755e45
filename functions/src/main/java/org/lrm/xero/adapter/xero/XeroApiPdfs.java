package org.lrm.xero.adapter.xero;

import java.util.Optional;
import org.lrm.xero.app.xero.InvoicePdf;
import org.lrm.xero.app.xero.XeroPdfs;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.rate.Priority;

/** {@link XeroPdfs} over {@code GET /Invoices/{id}} with {@code Accept: application/pdf}, through the {@link XeroGateway}. */
public final class XeroApiPdfs implements XeroPdfs {

    private static final String OPERATION = "GET Invoice PDF";

    private final XeroClient xero;
    private final XeroGateway gateway;

    public XeroApiPdfs(XeroClient xero, XeroGateway gateway) {
        this.xero = xero;
        this.gateway = gateway;
    }

    @Override
    public Optional<InvoicePdf> invoicePdf(XeroTenant tenant, Priority priority, String invoiceId) {
        XeroResult<PdfDocument> result = gateway.attempt(tenant, priority, OPERATION, call -> xero.getInvoicePdf(call, invoiceId));
        if (result instanceof XeroResult.NotFound<PdfDocument>) {
            return Optional.empty();
        }
        // A 400 is a refusal for good, as for every call (dead-lettered with Xero's words); 5xx and the like are
        // Xero failing, and the PDF is asked for again after the outage back-off.
        PdfDocument pdf = XeroGateway.valueOf(OPERATION, result);
        return Optional.of(new InvoicePdf(pdf.body(), pdf.contentLength()));
    }
}
