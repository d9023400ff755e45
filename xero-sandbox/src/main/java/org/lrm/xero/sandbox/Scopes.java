package org.lrm.xero.sandbox;

import org.lrm.xero.sandbox.Identity.Access;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Xero's OAuth scopes: which exist, which an app may ask for (apps created on or after 2 March 2026 only the granular
 * ones), and which reach which Accounting API resource. A {@code .read} scope reaches a resource for GET only.
 */
final class Scopes {
    private Scopes() {}

    /** Apps created from this instant on get only granular scopes (developer.xero.com/faq/granular-scopes). */
    static final Instant GRANULAR_ONLY_FROM = Instant.parse("2026-03-02T00:00:00Z");

    /** The broad scopes Xero retires: refused to apps created since {@link #GRANULAR_ONLY_FROM}. */
    static final Set<String> BROAD = Set.of("accounting.transactions", "accounting.transactions.read", "accounting.reports.read");

    /**
     * Every scope the sandbox knows. A scope outside this list is answered {@code invalid_scope} at authorize, as
     * Xero answers a scope it does not have.
     */
    private static final Set<String> KNOWN;
    static {
        Set<String> s = new TreeSet<>(Set.of("openid", "profile", "email", "offline_access", "accounting.transactions",
                "accounting.transactions.read", "accounting.reports.read", "accounting.journals.read", "accounting.budgets.read",
                "accounting.reports.aged.read", "accounting.reports.balancesheet.read", "accounting.reports.banksummary.read",
                "accounting.reports.budgetsummary.read", "accounting.reports.executivesummary.read",
                "accounting.reports.profitandloss.read", "accounting.reports.trialbalance.read", "accounting.reports.taxreports.read",
                "accounting.reports.tenninetynine.read"));
        for (String readWrite : List.of("accounting.contacts", "accounting.settings", "accounting.attachments", "accounting.invoices",
                "accounting.payments", "accounting.banktransactions", "accounting.manualjournals", "accounting.classicexpenses")) {
            s.add(readWrite);
            s.add(readWrite + ".read");
        }
        KNOWN = Set.copyOf(s);
    }

    /** Why an app may not ask for these scopes, as Xero's authorize answers it ({@code error}), or null when it may. */
    static String refusal(Collection<String> requested, Instant appCreated) {
        for (String s : requested) if (!KNOWN.contains(s)) return "invalid_scope";
        if (!appCreated.isBefore(GRANULAR_ONLY_FROM)) for (String s : requested) if (BROAD.contains(s)) return "unauthorized_client";
        return null;
    }

    /**
     * @param resource the first path segment after /api.xro/2.0 (any case)
     * @param read     a GET, which a {@code .read} scope also allows
     */
    static boolean allow(Access a, String resource, boolean read) {
        if (a.user() || a.scopes().contains("*")) return true;
        Set<String> s = a.scopes();
        for (String n : needed(resource.toLowerCase(Locale.ROOT))) if (s.contains(n) || (read && s.contains(n + ".read"))) return true;
        return false;
    }

    /**
     * Any one of these (or its {@code .read} form for a GET) reaches the resource: the granular scope Xero lists the
     * resource under, and the broad {@code accounting.transactions} where it covered it (developer.xero.com's scopes
     * page; the granular-to-endpoint table as published from it, e.g. apideck.com/blog/xero-scopes).
     */
    private static List<String> needed(String resource) {
        return switch (resource) {
            case "contacts", "contactgroups" -> List.of("accounting.contacts");
            case "invoices", "creditnotes", "linkedtransactions", "purchaseorders", "quotes", "repeatinginvoices" ->
                    List.of("accounting.invoices", "accounting.transactions");
            case "items" -> List.of("accounting.invoices", "accounting.settings");
            case "payments", "prepayments", "overpayments", "batchpayments" -> List.of("accounting.payments", "accounting.transactions");
            case "banktransactions", "banktransfers" -> List.of("accounting.banktransactions", "accounting.transactions");
            case "manualjournals" -> List.of("accounting.manualjournals", "accounting.transactions");
            case "expenseclaims", "receipts" -> List.of("accounting.classicexpenses", "accounting.transactions");
            case "accounts", "organisation", "taxrates", "currencies", "trackingcategories", "brandingthemes" -> List.of("accounting.settings");
            default -> List.of();
        };
    }
}
