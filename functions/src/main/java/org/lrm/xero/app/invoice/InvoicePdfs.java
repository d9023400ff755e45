package org.lrm.xero.app.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.lrm.xero.domain.invoice.LearnerInvoice;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;

/**
 * Invoice PDFs in the private bucket, one object per invoice version:
 * {@code {orgId}/{invoiceId}/{version}.pdf}. The PDF worker stores each new version ahead of need, at
 * prefetch priority (only budget other work would leave unused; most worth first, {@code PdfPrefetchOrder});
 * a PDF asked for before that is fetched at once, at interactive priority.
 */
public final class InvoicePdfs {

    private static final JsonLog LOG = JsonLog.forClass(InvoicePdfs.class);

    /** How many PDFs a re-sync queues to one message of the PDF worker. */
    public static final int PDFS_PER_MESSAGE = 25;

    /**
     * How long one message may go on starting fetches before the rest waits its turn behind the queue's other
     * messages: with Xero's 20 s timeout on the last call it ends well inside the PDF worker's 120 s (one message
     * a batch), and one organisation's long message does not keep the worker from the others'.
     */
    static final Duration TURN = Duration.ofSeconds(60);

    private final InvoiceStore invoices;
    private final PdfStore pdfs;
    private final ConnectionStore connections;
    private final XeroPdfs xero;
    private final Clock clock;

    public InvoicePdfs(InvoiceStore invoices, PdfStore pdfs, ConnectionStore connections, XeroPdfs xero, Clock clock) {
        this.invoices = invoices;
        this.pdfs = pdfs;
        this.connections = connections;
        this.xero = xero;
        this.clock = clock;
    }

    static String objectKey(String orgId, String invoiceId, long version) {
        return orgId + "/" + invoiceId + "/" + version + ".pdf";
    }

    /**
     * The PDF worker's message: the versions it names, most worth first, each fetched unless a newer one replaced
     * it or it is stored. A re-sync queues its new versions {@link #PDFS_PER_MESSAGE} to a message (a webhook's one
     * alone), so a year's 10,000 invoices are about 400 messages waiting for spare budget, not 10,000 each received again
     * whenever the budget says wait. When the budget, Xero or the connection stops the work part way, what is left
     * goes on as a message of its own ({@link WorkOutcome.Partly}) and what was fetched is not fetched again; so it
     * does when the message has had its {@link #TURN}. A version Xero refuses for good does not hold up the others:
     * it is dead-lettered alone at the end. The form of one version a message ({@code invoiceId}, {@code version}),
     * queued before, is still read.
     */
    public WorkOutcome fetchQueued(Work work) {
        return fetchQueued(work, Priority.PREFETCH);
    }

    /**
     * {@link #fetchQueued(Work)} at {@code priority}: the benchmark's baseline fetches as the design before spare-only
     * prefetch did, at a priority that may take the organisation's whole minute.
     */
    public WorkOutcome fetchQueued(Work work, Priority priority) {
        String orgId = work.message().orgId();
        List<Wanted> wanted = Wanted.of(work.message().payload());
        if (wanted.isEmpty()) {
            return new WorkOutcome.Fail("no invoiceId");
        }
        Instant turnEnds = clock.instant().plus(TURN);
        List<Wanted> refused = new ArrayList<>();
        String refusal = null;
        for (int i = 0; i < wanted.size(); i++) {
            if (i > 0 && clock.instant().isAfter(turnEnds)) {
                return new WorkOutcome.Partly(Wanted.payload(rest(wanted, i, refused)), WorkOutcome.DONE);
            }
            Wanted next = wanted.get(i);
            try {
                fetchIfWanted(orgId, next, priority);
            } catch (RuntimeException e) {
                // Xero no longer having the invoice is as final as a refusal: it holds up no other version either.
                WorkOutcome stopped = e instanceof NotFound ? new WorkOutcome.Fail(e.getMessage()) : WorkOutcome.of(e);
                if (stopped instanceof WorkOutcome.Fail fail) {
                    LOG.warn("invoice.pdfRefused", "orgId", orgId, "tenantId", work.message().tenantId(),
                            "invoiceId", next.invoiceId(), "version", next.version(), "reason", fail.reason());
                    refused.add(next);
                    refusal = fail.reason();
                    continue;
                }
                if (i == 0) {
                    throw e; // nothing done: the message waits (or backs off) whole, as it is
                }
                return new WorkOutcome.Partly(Wanted.payload(rest(wanted, i, refused)), stopped);
            }
        }
        if (refused.isEmpty()) {
            return WorkOutcome.DONE;
        }
        return refused.size() == wanted.size() ? new WorkOutcome.Fail(refusal)
                : new WorkOutcome.Partly(Wanted.payload(refused), new WorkOutcome.Fail(refusal));
    }

    /** The payloads of the PDF worker's messages for {@code versions}, in their order, {@link #PDFS_PER_MESSAGE} to one. */
    public static List<ObjectNode> messagesFor(List<LearnerInvoice> versions, int perMessage) {
        List<ObjectNode> payloads = new ArrayList<>();
        for (int from = 0; from < versions.size(); from += perMessage) {
            payloads.add(Wanted.payload(versions.subList(from, Math.min(from + perMessage, versions.size())).stream()
                    .map(v -> new Wanted(v.invoiceId(), v.version())).toList()));
        }
        return payloads;
    }

    private static List<Wanted> rest(List<Wanted> wanted, int from, List<Wanted> refused) {
        List<Wanted> rest = new ArrayList<>(wanted.subList(from, wanted.size()));
        rest.addAll(refused); // tried again at the end of the rest; dead-lettered then if Xero still refuses them
        return rest;
    }

    private void fetchIfWanted(String orgId, Wanted wanted, Priority priority) {
        Optional<StoredInvoice> stored = invoices.find(orgId, wanted.invoiceId());
        if (stored.isEmpty() || stored.get().invoice().version() > wanted.version() || stored.get().pdfAvailable()) {
            return;
        }
        store(orgId, stored.get(), priority);
    }

    /** One invoice version a PDF message names ({@link #of}: all of a message's, in its order). */
    public record Wanted(String invoiceId, long version) {

        public static List<Wanted> of(JsonNode payload) {
            if (payload.hasNonNull("invoiceId")) {
                return List.of(new Wanted(payload.get("invoiceId").asText(), payload.path("version").asLong()));
            }
            List<Wanted> wanted = new ArrayList<>();
            for (JsonNode item : payload.path("invoices")) {
                if (item.hasNonNull("invoiceId")) {
                    wanted.add(new Wanted(item.get("invoiceId").asText(), item.path("version").asLong()));
                }
            }
            return wanted;
        }

        static ObjectNode payload(List<Wanted> wanted) {
            ObjectNode payload = Json.MAPPER.createObjectNode();
            ArrayNode items = payload.putArray("invoices");
            wanted.forEach(w -> items.addObject().put("invoiceId", w.invoiceId()).put("version", w.version()));
            return payload;
        }
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
