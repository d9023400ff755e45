package org.lrm.xero.sandbox;

import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sandbox's organisations. An id is looked up trimmed and case-insensitively, as Xero reads its tenant header. */
final class Tenants {
    private final Map<String, Tenant> byId = new ConcurrentHashMap<>();

    Tenant create(String name, RateLimits.Tier tier, int dayLimit, Instant now) {
        Tenant t = new Tenant(name, tier, dayLimit, now);
        byId.put(t.id, t);
        return t;
    }

    /** The tenant of this id, or null (also for a null id). */
    Tenant find(String id) {
        return id == null ? null : byId.get(id.trim().toLowerCase(Locale.ROOT));
    }

    Collection<Tenant> all() { return byId.values(); }

    int size() { return byId.size(); }
}
