package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;

/**
 * The Accounting API (api.xro/2.0) over a tenant's in-memory ledger: one class per resource, each registering its
 * routes here. Callers hold the tenant's lock; {@link AccountingGateway} is what reaches this.
 */
final class Accounting {

    /** A resource's answer to one routed request. */
    interface Handler { Resp handle(Tenant t, Request r); }

    /** The resources' names as Xero spells them (paths are case-insensitive; stats use these). */
    private static final List<String> RESOURCES = List.of("Contacts", "Invoices", "Payments", "CreditNotes", "BankTransactions",
            "Prepayments", "Overpayments", "Accounts", "Organisation");

    private final Router<Handler> routes = new Router<>();
    private final Contacts contacts;

    Accounting(SandboxClock clock, Webhooks webhooks) {
        Ledger ledger = new Ledger(clock, webhooks);
        Envelope envelope = new Envelope(clock);
        Listing listing = new Listing(envelope);
        Batch batch = new Batch(envelope);
        Allocations allocations = new Allocations(ledger, envelope);
        contacts = new Contacts(ledger, envelope, listing, batch);
        contacts.register(routes);
        new Invoices(ledger, envelope, listing, batch, contacts).register(routes);
        new Payments(ledger, envelope, listing, batch).register(routes);
        new CreditNotes(ledger, envelope, listing, batch, contacts, allocations).register(routes);
        new BankTransactions(ledger, envelope, listing, batch, contacts).register(routes);
        PrepaymentsAndOverpayments.prepayments(envelope, listing, allocations).register(routes);
        PrepaymentsAndOverpayments.overpayments(envelope, listing, allocations).register(routes);
        new OrganisationSettings(envelope).register(routes);
    }

    /** @param r routed below /api.xro/2.0; 404 for a path no resource has */
    Resp handle(Tenant t, Request r) {
        Router.Routed<Handler> routed = routes.route(r).orElseThrow(XeroError::notFound);
        return routed.handler().handle(t, routed.request());
    }

    /** A resource's name as Xero spells it, or the segment as given if it is no resource of the sandbox. */
    static String canonicalName(String resource) {
        for (String r : RESOURCES) if (r.equalsIgnoreCase(resource)) return r;
        return resource;
    }

    /** Xero's merge of two contacts (admin: what a person does in Xero). */
    void merge(Tenant t, String fromContactId, String intoContactId) { contacts.merge(t, fromContactId, intoContactId); }

    /** Every record of the tenant in the API's shapes (GET /sandbox/tenants/{id}/state). */
    ObjectNode state(Tenant t) {
        ObjectNode s = Json.obj();
        s.put("tenantId", t.id);
        s.put("tenantName", t.name);
        dump(s.putArray("Contacts"), t, t.contacts.values(), Contacts::shape);
        dump(s.putArray("Invoices"), t, t.invoices.values(), Invoices::shape);
        dump(s.putArray("Payments"), t, t.payments.values(), Payments::shape);
        dump(s.putArray("CreditNotes"), t, t.creditNotes.values(), Allocations::shape);
        dump(s.putArray("BankTransactions"), t, t.bankTransactions.values(), BankTransactions::shape);
        dump(s.putArray("Prepayments"), t, t.prepayments.values(), Allocations::shape);
        dump(s.putArray("Overpayments"), t, t.overpayments.values(), Allocations::shape);
        return s;
    }

    private static void dump(ArrayNode into, Tenant t, Collection<Rec> recs, Listing.Shape shape) {
        recs.forEach(r -> into.add(shape.of(t, r, Listing.View.FULL)));
    }
}
