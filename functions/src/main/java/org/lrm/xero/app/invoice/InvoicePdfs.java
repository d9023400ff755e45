package org.lrm.xero.app.invoice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.InvoicePdf;
import org.lrm.xero.app.xero.XeroPdfs;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * Invoice PDFs in the private bucket, one object per invoice version:
 * {@code {orgId}/{invoiceId}/{version}.pdf}. The PDF worker stores each new version at bulk
 * priority; a PDF asked for before that is fetched at once, at interactive priority.
 */
public final class InvoicePdfs {

    private static final JsonLog LOG = JsonLog.forClass(InvoicePdfs.class);

    private final InvoiceStore invoices;
    private final PdfStore pdfs;
    private final ConnectionStore connections;
    private final XeroPdfs xero;

    public InvoicePdfs(InvoiceStore invoices, PdfStore pdfs, ConnectionStore connections, XeroPdfs xero) {
        this.invoices = invoices;
        this.pdfs = pdfs;
        this.connections = connections;
        this.xero = xero;
    }

    static String objectKey(String orgId, String invoiceId, long version) {
        return orgId + "/" + invoiceId + "/" + version + ".pdf";
    }

    /** The PDF worker's message: fetch the version named unless a newer one replaced it or it is stored. */
    public WorkOutcome fetchQueued(Work work) {
        String orgId = work.message().orgId();
        String invoiceId = work.message().payload().path("invoiceId").asText(null);
        long version = work.message().payload().path("version").asLong();
        if (invoiceId == null) {
            return new WorkOutcome.Fail("no invoiceId");
        }
        Optional<StoredInvoice> stored = invoices.find(orgId, invoiceId);
        if (stored.isEmpty() || stored.get().invoice().version() > version || stored.get().pdfAvailable()) {
            return WorkOutcome.DONE;
        }
        store(orgId, stored.get(), Priority.BULK);
        return WorkOutcome.DONE;
    }

    /**
     * The object key of the stored invoice's current PDF, fetching it now when it is not stored yet.
     *
     * @throws NotFound when Xero no longer has the invoice
     */
    public String currentPdf(String orgId, StoredInvoice stored, Priority priority) {
        if (stored.pdfAvailable()) {
            return stored.pdfKey();
        }
        return store(orgId, stored, priority);
    }

    private String store(String orgId, StoredInvoice stored, Priority priority) {
        ConnectionRecord connection = connections.requireUsable(orgId, "not connected to Xero");
        connection.requireScope(XeroScopes.Need.INVOICES);
        String tenantId = connection.tenantId();
        String invoiceId = stored.invoice().invoiceId();
        long version = stored.invoice().version();
        InvoicePdf fetched = xero.invoicePdf(new XeroTenant(orgId, tenantId), priority, invoiceId)
                .orElseThrow(() -> new NotFound("Xero has no invoice " + invoiceId + "."));
        String key = objectKey(orgId, invoiceId, version);
        try (InvoicePdf pdf = fetched) {
            pdfs.put(key, pdf.body(), pdf.contentLength());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean recorded = invoices.recordPdf(orgId, invoiceId, version, key);
        LOG.info("invoice.pdfStored", "orgId", orgId, "tenantId", tenantId, "learnerId", stored.learnerId(),
                "invoiceId", invoiceId, "version", version, "recorded", recorded);
        return key;
    }
}
