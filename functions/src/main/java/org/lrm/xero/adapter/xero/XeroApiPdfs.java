package org.lrm.xero.adapter.xero;

import java.util.Optional;
import org.lrm.xero.app.xero.InvoicePdf;
import org.lrm.xero.app.xero.XeroCallFailed;
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
        if (result instanceof XeroResult.Ok<PdfDocument> ok) {
            return Optional.of(new InvoicePdf(ok.value().body(), ok.value().contentLength()));
        }
        // Whatever else Xero answered, a PDF is worth asking for again later.
        throw new XeroCallFailed(OPERATION, false, result.toString());
    }
}
