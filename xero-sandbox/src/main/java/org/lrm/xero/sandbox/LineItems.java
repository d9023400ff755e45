package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Line items and the totals of a document (invoice, credit note, bank transaction): amounts, tax and their validation. */
final class LineItems {
    private LineItems() {}

    static final BigDecimal GST = new BigDecimal("0.10");

    /** The document's lines as stored, and its SubTotal, TotalTax and Total. */
    record Totals(ArrayNode lines, BigDecimal sub, BigDecimal tax, BigDecimal total) {}

    /** A line's tax rate: 10 % GST for the GST tax types, else 0; a line without TaxType takes its account's. */
    static BigDecimal taxRate(Tenant t, String taxType, String accountCode) {
        String tt = taxType;
        if (tt == null || tt.isBlank()) {
            ObjectNode acc = accountCode == null ? null : t.accounts.get(accountCode);
            tt = acc == null ? "NONE" : Json.text(acc, "TaxType");
        }
        return switch (tt.toUpperCase(Locale.ROOT)) {
            case "OUTPUT", "INPUT", "OUTPUT2", "INPUT2", "GSTONIMPORTS", "CAPEXINPUT" -> GST;
            default -> BigDecimal.ZERO;
        };
    }

    /** LineAmountTypes as Xero spells it: Exclusive (the default), Inclusive or NoTax. */
    static String lineAmountTypes(String v) {
        if (v == null) return "Exclusive";
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "INCLUSIVE" -> "Inclusive";
            case "NOTAX", "NONE" -> "NoTax";
            default -> "Exclusive";
        };
    }

    /**
     * Computes each line (Quantity x UnitAmount, or LineAmount; tax by LineAmountTypes) and the totals, adding
     * Xero's messages for a bad account code or a missing description (or account, with {@code requireAccount}).
     */
    static Totals totals(Tenant t, JsonNode lineItems, String lat, List<String> errs, boolean requireAccount) {
        ArrayNode out = Json.arr();
        BigDecimal sub = BigDecimal.ZERO, tax = BigDecimal.ZERO, total = BigDecimal.ZERO;
        if (lineItems != null && lineItems.isArray()) {
            for (JsonNode li : lineItems) {
                ObjectNode l = li.isObject() ? ((ObjectNode) li.deepCopy()) : Json.obj();
                if (!l.has("LineItemID")) l.put("LineItemID", Ledger.newId());
                BigDecimal qty = Json.dec(l, "Quantity", null);
                BigDecimal unit = Json.dec(l, "UnitAmount", null);
                BigDecimal amount;
                if (unit != null) {
                    if (qty == null) qty = BigDecimal.ONE;
                    amount = Money.round(qty.multiply(unit));
                } else {
                    amount = Money.round(Json.dec(l, "LineAmount", BigDecimal.ZERO));
                    if (qty == null) qty = BigDecimal.ONE;
                    unit = qty.signum() == 0 ? amount : amount.divide(qty, 4, RoundingMode.HALF_UP);
                }
                String code = Json.text(l, "AccountCode");
                if (code != null && !t.accounts.containsKey(code)) errs.add("Account code '" + code + "' is not a valid code for this document.");
                if (code == null && requireAccount) errs.add("Account code must be specified for each line item.");
                String desc = Json.text(l, "Description");
                if ((desc == null || desc.isBlank()) && Json.text(l, "ItemCode") == null) errs.add("The Description field is mandatory for each line item.");
                BigDecimal rate = lat.equals("NoTax") ? BigDecimal.ZERO : taxRate(t, Json.text(l, "TaxType"), code);
                BigDecimal lineTax;
                BigDecimal net;
                if (lat.equals("Inclusive")) {
                    lineTax = Money.round(amount.multiply(rate).divide(BigDecimal.ONE.add(rate), 10, RoundingMode.HALF_UP));
                    net = amount.subtract(lineTax);
                    total = total.add(amount);
                } else {
                    lineTax = Money.round(amount.multiply(rate));
                    net = amount;
                    total = total.add(amount).add(lineTax);
                }
                if (!l.has("TaxType") || l.get("TaxType").isNull()) {
                    ObjectNode acc = code == null ? null : t.accounts.get(code);
                    l.put("TaxType", lat.equals("NoTax") ? "NONE" : acc == null ? "NONE" : Json.text(acc, "TaxType"));
                }
                sub = sub.add(net);
                tax = tax.add(lineTax);
                l.put("Quantity", qty);
                l.put("UnitAmount", unit);
                l.put("LineAmount", amount);
                l.put("TaxAmount", lineTax);
                l.putArray("Tracking");
                out.add(l);
            }
        }
        return new Totals(out, Money.round(sub), Money.round(tax), Money.round(total));
    }
}
