package org.lrm.xero.domain.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Xero scopes the integration asks for, which of them a grant lacks, and which work each allows.
 * The fewest that cover what is called: contacts are written, invoices and payments only read, and
 * {@code offline_access} keeps the connection past the access token's 30 minutes. Xero apps created
 * on or after 2 March 2026 may ask for granular scopes only; older apps may still ask for the broad
 * ones ({@code XERO_SCOPES=broad}). Either family satisfies a need: a broad scope covers its
 * granular parts, a write scope its {@code .read}.
 */
public enum XeroScopes {

    GRANULAR(List.of("offline_access", "accounting.contacts", "accounting.invoices.read", "accounting.payments.read")),
    BROAD(List.of("offline_access", "accounting.contacts", "accounting.transactions.read"));

    /** What the integration does with Xero, and the scopes (any one of them) that allow it. */
    public enum Need {
        /** A refresh token, so the connection outlives the access token. */
        OFFLINE_ACCESS("offline_access", Set.of("offline_access")),
        /** Learners written as contacts, contacts read (merges, adoption). */
        CONTACTS("accounting.contacts", Set.of("accounting.contacts")),
        /** Invoices and credit notes read, and invoice PDFs. */
        INVOICES("accounting.invoices.read", Set.of("accounting.invoices.read", "accounting.invoices",
                "accounting.transactions.read", "accounting.transactions")),
        /** Payments, prepayments and overpayments read. */
        PAYMENTS("accounting.payments.read", Set.of("accounting.payments.read", "accounting.payments",
                "accounting.transactions.read", "accounting.transactions"));

        private final String granular;
        private final Set<String> satisfiedBy;

        Need(String granular, Set<String> satisfiedBy) {
            this.granular = granular;
            this.satisfiedBy = satisfiedBy;
        }

        /** Whether a connection lacking these scopes (named in either family) cannot do this. */
        public boolean blockedBy(Collection<String> missingScopes) {
            return missingScopes.contains(GRANULAR.nameOf(this)) || missingScopes.contains(BROAD.nameOf(this));
        }
    }

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
     * The need a call to one of Xero's accounting resources checks ({@code Contacts}, {@code Invoices}, ...:
     * the first segment of its path, as Xero names the list); null for a resource the integration does not use.
     */
    public static Need neededFor(String resource) {
        return switch (resource.toLowerCase(Locale.ROOT)) {
            case "contacts" -> Need.CONTACTS;
            case "invoices", "creditnotes" -> Need.INVOICES;
            case "payments", "prepayments", "overpayments" -> Need.PAYMENTS;
            default -> null;
        };
    }

    /** The scope that grants the need, as this family names it: what an admin is told to grant. */
    public String nameOf(Need need) {
        return requested.stream().filter(need.satisfiedBy::contains).findFirst().orElse(need.granular);
    }

    /**
     * The needs a grant does not cover, named as this family names them, in a stable order; empty when
     * the grant is enough.
     */
    public List<String> missingFrom(Collection<String> granted) {
        List<String> missing = new ArrayList<>();
        for (Need need : Need.values()) {
            if (granted.stream().noneMatch(need.satisfiedBy::contains)) {
                String name = nameOf(need);
                if (!missing.contains(name)) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }
}
