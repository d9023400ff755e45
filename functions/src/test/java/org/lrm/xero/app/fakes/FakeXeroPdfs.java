package org.lrm.xero.app.fakes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.lrm.xero.app.xero.InvoicePdf;
import org.lrm.xero.app.xero.XeroPdfs;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.rate.Priority;

/** Xero's invoice PDFs in memory: a PDF per invoice Xero has, each fetch kept with its priority. */
public final class FakeXeroPdfs implements XeroPdfs {

    /** One fetch. */
    public record Fetch(XeroTenant tenant, Priority priority, String invoiceId) {
    }

    private final Map<String, byte[]> pdfs = new HashMap<>();
    private final List<Fetch> fetches = new ArrayList<>();
    private final Map<String, RuntimeException> refusals = new HashMap<>();
    private int fetchesAllowed = Integer.MAX_VALUE;
    private RuntimeException onceSpent;
    private Runnable eachFetch = () -> { };

    /** Fetching {@code invoiceId} throws {@code refusal} (Xero refusing it, say), and counts as no fetch. */
    public void refuses(String invoiceId, RuntimeException refusal) {
        refusals.put(invoiceId, refusal);
    }

    /** After {@code fetches} more fetches every one throws {@code then} (the budget saying wait, Xero failing). */
    public void allowsOnly(int fetches, RuntimeException then) {
        this.fetchesAllowed = this.fetches.size() + fetches;
        this.onceSpent = then;
    }

    /** Runs before each fetch (moves a clock, say). */
    public void beforeEachFetch(Runnable action) {
        this.eachFetch = action;
    }

    /** Xero has the invoice: its PDF reads as {@code text}. */
    public void has(String invoiceId, String text) {
        pdfs.put(invoiceId, text.getBytes(StandardCharsets.UTF_8));
    }

    public List<Fetch> fetches() {
        return List.copyOf(fetches);
    }

    @Override
    public Optional<InvoicePdf> invoicePdf(XeroTenant tenant, Priority priority, String invoiceId) {
        eachFetch.run();
        if (fetches.size() >= fetchesAllowed) {
            throw onceSpent;
        }
        if (refusals.containsKey(invoiceId)) {
            throw refusals.get(invoiceId);
        }
        fetches.add(new Fetch(tenant, priority, invoiceId));
        byte[] pdf = pdfs.get(invoiceId);
        return pdf == null ? Optional.empty()
                : Optional.of(new InvoicePdf(new ByteArrayInputStream(pdf), OptionalLong.of(pdf.length)));
    }
}
