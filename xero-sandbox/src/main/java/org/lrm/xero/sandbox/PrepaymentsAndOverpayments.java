package org.lrm.xero.sandbox;

import java.util.Map;
import java.util.function.Function;

/**
 * /Prepayments and /Overpayments: money received ahead of or beyond an invoice (created by a RECEIVE-PREPAYMENT or
 * RECEIVE-OVERPAYMENT bank transaction), held as credit until allocated. List, get and PUT /{id}/Allocations; one
 * instance per resource.
 */
final class PrepaymentsAndOverpayments {
    private final String resource, kind;
    private final Function<Tenant, Map<String, Rec>> records;
    private final Envelope envelope;
    private final Listing listing;
    private final Allocations allocations;

    private PrepaymentsAndOverpayments(String resource, String kind, Function<Tenant, Map<String, Rec>> records,
                                       Envelope envelope, Listing listing, Allocations allocations) {
        this.resource = resource; this.kind = kind; this.records = records; this.envelope = envelope; this.listing = listing; this.allocations = allocations;
    }

    static PrepaymentsAndOverpayments prepayments(Envelope envelope, Listing listing, Allocations allocations) {
        return new PrepaymentsAndOverpayments("Prepayments", "Prepayment", t -> t.prepayments, envelope, listing, allocations);
    }

    static PrepaymentsAndOverpayments overpayments(Envelope envelope, Listing listing, Allocations allocations) {
        return new PrepaymentsAndOverpayments("Overpayments", "Overpayment", t -> t.overpayments, envelope, listing, allocations);
    }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/" + resource, (t, r) -> listing.list(t, resource, records.apply(t).values(), r, Allocations::shape, null))
              .on("GET", "/" + resource + "/{id}", (t, r) -> envelope.one(resource, Allocations.shape(t, Ledger.find(records.apply(t), r.pathParam("id")), Listing.View.FULL)))
              .on("PUT", "/" + resource + "/{id}/Allocations", (t, r) -> allocations.allocate(t, kind, Ledger.find(records.apply(t), r.pathParam("id")), r));
    }
}
