package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** The envelope of every Accounting API answer: {@code {Id, Status, ProviderName, DateTimeUTC, <Resource>: [...]}}. */
final class Envelope {
    private final SandboxClock clock;

    Envelope(SandboxClock clock) { this.clock = clock; }

    /** An envelope to which the caller adds the resource's array (and, for a page, {@code pagination}). */
    ObjectNode create() {
        ObjectNode b = Json.obj();
        b.put("Id", UUID.randomUUID().toString());
        b.put("Status", "OK");
        b.put("ProviderName", "Xero Sandbox");
        b.put("DateTimeUTC", XeroDates.envelopeTime(clock.now()));
        return b;
    }

    /** 200 with one element, as a GET by id answers. */
    Resp one(String key, ObjectNode element) {
        ObjectNode b = create();
        b.putArray(key).add(element);
        return Resp.json(200, b);
    }
}
