package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A Xero organisation with its ledger. All access to the maps is under {@code synchronized (tenant)}. */
final class Tenant {
    final String id = UUID.randomUUID().toString();
    final String name;
    /** The Xero pricing tier whose day limit the tenant has (the app's tier at Xero; see RateLimits.Tier). */
    final RateLimits.Tier tier;
    volatile int dayLimit;
    final Instant created;
    final Map<String, Rec> contacts = new LinkedHashMap<>();
    final Map<String, Rec> invoices = new LinkedHashMap<>();
    final Map<String, Rec> payments = new LinkedHashMap<>();
    /** Each invoice's payments, in the order they were made: a payment never moves to another invoice. */
    final Map<String, List<Rec>> paymentsByInvoice = new HashMap<>();
    final Map<String, Rec> creditNotes = new LinkedHashMap<>();
    final Map<String, Rec> bankTransactions = new LinkedHashMap<>();
    final Map<String, Rec> prepayments = new LinkedHashMap<>();
    final Map<String, Rec> overpayments = new LinkedHashMap<>();
    final Map<String, ObjectNode> accounts = new LinkedHashMap<>();
    /** Answers remembered for Idempotency-Key replays, by caller, method, path and key. */
    final Map<String, Idempotency.Remembered> idempotency = new HashMap<>();
    long seq;
    int invoiceNo, creditNoteNo;
    final Stats stats = new Stats();

    Tenant(String name, RateLimits.Tier tier, int dayLimit, Instant created) {
        this.name = name; this.tier = tier; this.dayLimit = dayLimit; this.created = created;
        account("200", "Sales", "REVENUE", "OUTPUT", false);
        account("260", "Other Revenue", "REVENUE", "OUTPUT", false);
        account("400", "Advertising", "EXPENSE", "INPUT", false);
        account("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", false);
        account("090", "Business Bank Account", "BANK", "BASEXCLUDED", true);
        account("091", "Business Savings Account", "BANK", "BASEXCLUDED", true);
    }

    List<Rec> paymentsOf(String invoiceId) {
        return paymentsByInvoice.getOrDefault(invoiceId, List.of());
    }

    private void account(String code, String name, String type, String tax, boolean bank) {
        ObjectNode a = Json.obj();
        a.put("AccountID", UUID.nameUUIDFromBytes((id + code).getBytes(StandardCharsets.UTF_8)).toString());
        a.put("Code", code);
        a.put("Name", name);
        a.put("Status", "ACTIVE");
        a.put("Type", type);
        a.put("TaxType", tax);
        a.put("Class", bank || type.equals("CURRENT") ? "ASSET" : type.equals("REVENUE") ? "REVENUE" : "EXPENSE");
        a.put("EnablePaymentsToAccount", bank);
        a.put("BankAccountType", bank ? "BANK" : "");
        a.put("CurrencyCode", "AUD");
        accounts.put(code, a);
    }

    /** An account referred to by {@code Code} or {@code AccountID}, or null. */
    ObjectNode accountByCodeOrId(JsonNode ref) {
        if (ref == null || ref.isNull()) return null;
        String code = Json.text(ref, "Code");
        if (code != null) return accounts.get(code);
        String aid = Json.text(ref, "AccountID");
        if (aid != null) for (ObjectNode a : accounts.values()) if (a.get("AccountID").asText().equalsIgnoreCase(aid)) return a;
        return null;
    }
}
