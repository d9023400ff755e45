package org.lrm.xero.sandbox;

import org.lrm.xero.sandbox.Identity.Access;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which OAuth scopes reach which Accounting API resource. Broad ({@code accounting.transactions}) and granular scopes both pass. */
final class Scopes {
    private Scopes() {}

    /**
     * @param resource the first path segment after /api.xro/2.0 (any case)
     * @param read     a GET, which a {@code .read} scope also allows
     */
    static boolean allow(Access a, String resource, boolean read) {
        if (a.user() || a.scopes().contains("*")) return true;
        Set<String> s = a.scopes();
        if (s.stream().noneMatch(x -> x.startsWith("accounting."))) return false;
        for (String n : needed(resource.toLowerCase(Locale.ROOT))) if (s.contains(n) || (read && s.contains(n + ".read"))) return true;
        return false;
    }

    /** Any one of these (or its {@code .read} form for a GET) reaches the resource. */
    private static List<String> needed(String resource) {
        return switch (resource) {
            case "contacts" -> List.of("accounting.contacts");
            case "invoices", "creditnotes" -> List.of("accounting.transactions", "accounting.invoices");
            case "payments", "prepayments", "overpayments" -> List.of("accounting.transactions", "accounting.payments");
            case "banktransactions" -> List.of("accounting.transactions", "accounting.banktransactions", "accounting.payments");
            case "accounts", "organisation" -> List.of("accounting.settings");
            default -> List.of("accounting.transactions");
        };
    }
}
