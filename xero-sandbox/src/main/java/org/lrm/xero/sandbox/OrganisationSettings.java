package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Predicate;

/** /Accounts (the fixed chart of every tenant, with {@code where}) and /Organisation: read-only settings. */
final class OrganisationSettings {
    private final Envelope envelope;

    OrganisationSettings(Envelope envelope) { this.envelope = envelope; }

    void register(Router<Accounting.Handler> routes) {
        routes.on("GET", "/Accounts", this::accounts)
              .on("GET", "/Organisation", this::organisation);
    }

    private Resp accounts(Tenant t, Request r) {
        ObjectNode b = envelope.create();
        ArrayNode a = b.putArray("Accounts");
        Predicate<ObjectNode> where = Where.parse(r.queryParam("where"));
        for (ObjectNode acc : t.accounts.values()) if (where.test(acc)) a.add(acc.deepCopy());
        return Resp.json(200, b);
    }

    private Resp organisation(Tenant t, Request r) {
        ObjectNode b = envelope.create();
        ObjectNode o = b.putArray("Organisations").addObject();
        o.put("OrganisationID", t.id);
        o.put("Name", t.name);
        o.put("LegalName", t.name);
        o.put("BaseCurrency", "AUD");
        o.put("CountryCode", "AU");
        o.put("OrganisationType", "COMPANY");
        o.put("OrganisationStatus", "ACTIVE");
        o.put("IsDemoCompany", false);
        o.put("Version", "AU");
        o.put("CreatedDateUTC", XeroDates.msDate(t.created));
        return Resp.json(200, b);
    }
}
