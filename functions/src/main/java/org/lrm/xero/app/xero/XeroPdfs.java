package org.lrm.xero.app.xero;

import java.util.Optional;
import org.lrm.xero.domain.rate.Priority;

/** Invoice PDFs from Xero: one call each (Xero has no bulk PDF), within the tenant's call budget. */
public interface XeroPdfs {

    /**
     * The invoice's PDF as Xero renders it now; empty when Xero has no such invoice.
     *
     * @throws org.lrm.xero.app.rate.WaitForBudget no budget now
     * @throws ConnectionUnavailable the organisation must connect again
     * @throws XeroCallFailed Xero answered otherwise (worth another try later)
     */
    Optional<InvoicePdf> invoicePdf(XeroTenant tenant, Priority priority, String invoiceId);
}
