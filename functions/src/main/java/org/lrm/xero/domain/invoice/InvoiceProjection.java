package org.lrm.xero.domain.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a Xero invoice shows on the learner's record, and which logbook lines a change of it makes.
 * Pure: no I/O. Money is kept to the cent; lines are in a stable order (date, then id) so that the
 * same Xero state always projects to the same record.
 */
public final class InvoiceProjection {

    private static final Set<String> CLOSING_STATUSES = Set.of("PAID", "VOIDED", "DELETED");

    private InvoiceProjection() {
    }

    public static LearnerInvoice project(XeroInvoice invoice) {
        Objects.requireNonNull(invoice.invoiceId(), "InvoiceID");
        Objects.requireNonNull(invoice.updatedAt(), "UpdatedDateUTC");
        return new LearnerInvoice(
                invoice.invoiceId(),
                invoice.invoiceNumber(),
                invoice.reference(),
                invoice.status(),
                invoice.date(),
                invoice.dueDate(),
                invoice.currencyCode(),
                money(invoice.total()),
                money(invoice.amountDue()),
                money(invoice.amountPaid()),
                money(invoice.amountCredited()),
                invoice.updatedAt(),
                invoice.contactId(),
                sorted(invoice.payments().stream().filter(p -> !"DELETED".equals(p.status())).map(InvoiceProjection::payment)
                        .toList(), LearnerInvoice.PaymentLine::date, LearnerInvoice.PaymentLine::paymentId),
                sorted(invoice.creditNotes().stream().map(c -> new LearnerInvoice.CreditNoteLine(c.id(), c.number(),
                        c.date(), money(c.applied()))).toList(),
                        LearnerInvoice.CreditNoteLine::date, LearnerInvoice.CreditNoteLine::creditNoteId),
                sorted(invoice.prepayments().stream().map(p -> new LearnerInvoice.PrepaymentLine(p.id(), p.date(),
                        money(p.applied()))).toList(),
                        LearnerInvoice.PrepaymentLine::date, LearnerInvoice.PrepaymentLine::prepaymentId),
                sorted(invoice.overpayments().stream().map(o -> new LearnerInvoice.OverpaymentLine(o.id(), o.date(),
                        money(o.applied()))).toList(),
                        LearnerInvoice.OverpaymentLine::date, LearnerInvoice.OverpaymentLine::overpaymentId));
    }

    /** Amounts to the cent, as Xero keeps them; a missing amount is zero. */
    public static BigDecimal money(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO.setScale(2) : amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** One logbook line for what happened to an invoice; {@code key} names the event so it is logged once. */
    public record LogLine(String key, String kind, String summary, Map<String, String> xeroIds) {
    }

    /**
     * What changed from {@code before} (null when the invoice is new to the learner) to {@code after}:
     * the invoice raised, a new status, and each payment, credit note, prepayment and overpayment
     * applied (or applied with a new amount).
     */
    public static List<LogLine> changes(LearnerInvoice before, LearnerInvoice after) {
        List<LogLine> lines = new ArrayList<>();
        String id = after.invoiceId();
        String name = after.invoiceNumber() == null ? id : after.invoiceNumber();
        if (before == null) {
            lines.add(new LogLine("invoice:" + id + ":raised", "INVOICE_RAISED",
                    "Invoice " + name + " for " + after.currency() + " " + after.total() + ", due " + after.dueDate()
                            + " (" + after.status() + ").", Map.of("invoiceId", id)));
        }
        boolean statusChanged = before != null && !Objects.equals(before.status(), after.status());
        if (statusChanged || (before == null && CLOSING_STATUSES.contains(after.status()))) {
            lines.add(new LogLine("invoice:" + id + ":status:" + after.status(), "INVOICE_" + after.status(),
                    "Invoice " + name + " is now " + after.status() + "; " + after.amountDue() + " due.",
                    Map.of("invoiceId", id)));
        }
        Map<String, BigDecimal> paid = before == null ? Map.of() : before.payments().stream()
                .collect(Collectors.toMap(LearnerInvoice.PaymentLine::paymentId, LearnerInvoice.PaymentLine::amount, (a, b) -> a));
        for (LearnerInvoice.PaymentLine p : after.payments()) {
            if (!paid.containsKey(p.paymentId())) {
                lines.add(new LogLine("payment:" + p.paymentId(), "PAYMENT",
                        "Payment of " + after.currency() + " " + p.amount() + " on " + p.date() + " to invoice " + name + ".",
                        Map.of("invoiceId", id, "paymentId", p.paymentId())));
            }
        }
        applied(lines, id, name, after.currency(), "CREDIT_NOTE", "creditNoteId", "credit note",
                before == null ? List.of() : before.creditNotes(), after.creditNotes(),
                LearnerInvoice.CreditNoteLine::creditNoteId, LearnerInvoice.CreditNoteLine::amount,
                c -> c.number() == null ? c.creditNoteId() : c.number());
        applied(lines, id, name, after.currency(), "PREPAYMENT", "prepaymentId", "prepayment",
                before == null ? List.of() : before.prepayments(), after.prepayments(),
                LearnerInvoice.PrepaymentLine::prepaymentId, LearnerInvoice.PrepaymentLine::amount,
                LearnerInvoice.PrepaymentLine::prepaymentId);
        applied(lines, id, name, after.currency(), "OVERPAYMENT", "overpaymentId", "overpayment",
                before == null ? List.of() : before.overpayments(), after.overpayments(),
                LearnerInvoice.OverpaymentLine::overpaymentId, LearnerInvoice.OverpaymentLine::amount,
                LearnerInvoice.OverpaymentLine::overpaymentId);
        return lines;
    }

    private static <T> void applied(List<LogLine> lines, String invoiceId, String invoiceName, String currency, String kind,
            String idName, String noun, List<T> before, List<T> after, Function<T, String> idOf,
            Function<T, BigDecimal> amountOf, Function<T, String> nameOf) {
        Map<String, BigDecimal> earlier = new HashMap<>();
        before.forEach(b -> earlier.put(idOf.apply(b), amountOf.apply(b)));
        for (T a : after) {
            BigDecimal amount = amountOf.apply(a);
            if (amount.compareTo(earlier.getOrDefault(idOf.apply(a), BigDecimal.ZERO)) == 0) {
                continue;
            }
            Map<String, String> ids = new LinkedHashMap<>();
            ids.put("invoiceId", invoiceId);
            ids.put(idName, idOf.apply(a));
            lines.add(new LogLine(noun.replace(' ', '-') + ":" + idOf.apply(a) + ":" + invoiceId + ":" + amount, kind,
                    currency + " " + amount + " of " + noun + " " + nameOf.apply(a) + " applied to invoice " + invoiceName + ".",
                    ids));
        }
    }

    private static LearnerInvoice.PaymentLine payment(XeroInvoice.Payment p) {
        return new LearnerInvoice.PaymentLine(p.paymentId(), p.date(), money(p.amount()));
    }

    private static <T> List<T> sorted(List<T> lines, Function<T, java.time.LocalDate> date, Function<T, String> id) {
        return lines.stream().sorted(Comparator.comparing(date, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(id, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
    }
}
