package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** One stored record of the Accounting API (a contact, an invoice, a payment ...), kept in the API's own JSON shape. */
final class Rec {
    final String id;
    /** The record as the API shows it; resources refresh derived fields (contact, payments, credits) when they answer. */
    ObjectNode n;
    /** UpdatedDateUTC, for If-Modified-Since. */
    Instant updated;
    /** Creation order within the tenant. */
    final long created;

    Rec(String id, ObjectNode n, Instant updated, long created) { this.id = id; this.n = n; this.updated = updated; this.created = created; }
}
