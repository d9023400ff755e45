package org.lrm.xero.domain.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Xero scopes the integration asks for, and which of them a grant lacks. Xero apps created since
 * March 2026 must use granular scopes; older apps may still ask for the broad ones. Either family
 * satisfies a need: a broad scope covers its granular parts.
 */
public enum XeroScopes {

    GRANULAR(List.of("offline_access", "accounting.contacts", "accounting.invoices", "accounting.payments",
            "accounting.settings.read")),
    BROAD(List.of("offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"));

    /** What the integration does with Xero, and the scopes (any one of them) that allow it. */
    private record Need(String requested, Set<String> satisfiedBy) {
    }

    private static final List<Need> NEEDS = List.of(
            new Need("offline_access", Set.of("offline_access")),
            new Need("accounting.contacts", Set.of("accounting.contacts")),
            new Need("accounting.invoices", Set.of("accounting.invoices", "accounting.transactions")),
            new Need("accounting.payments", Set.of("accounting.payments", "accounting.transactions")),
            new Need("accounting.settings.read", Set.of("accounting.settings.read", "accounting.settings")));

    private final List<String> requested;

    XeroScopes(List<String> requested) {
        this.requested = requested;
    }

    /** The scopes to put in the authorize URL. */
    public List<String> requested() {
        return requested;
    }

    /** {@code "broad"} or {@code "granular"} (the default, also for null or blank). */
    public static XeroScopes parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return GRANULAR;
        }
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "granular" -> GRANULAR;
            case "broad" -> BROAD;
            default -> throw new IllegalArgumentException("XERO_SCOPES must be granular or broad, not " + setting);
        };
    }

    /**
     * The needs a grant does not cover, named by their granular scope (or the broad one when this
     * profile asks for broad scopes), in a stable order; empty when the grant is enough.
     */
    public List<String> missingFrom(Collection<String> granted) {
        List<String> missing = new ArrayList<>();
        for (Need need : NEEDS) {
            if (granted.stream().noneMatch(need.satisfiedBy()::contains)) {
                String name = need.requested();
                if (this == BROAD) {
                    name = requested.stream().filter(need.satisfiedBy()::contains).findFirst().orElse(name);
                }
                if (!missing.contains(name)) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }
}
