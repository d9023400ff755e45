package org.lrm.xero.app.xero;

import java.util.List;

/**
 * Xero's lists whose elements change invoices: the invoices themselves, and the payments, credit
 * notes, prepayments and overpayments applied to them. {@link #collection()} is Xero's name of
 * the list, which is also how the integration names it where it keeps it (poll watermarks,
 * re-sync steps), so it never changes.
 */
public enum TransactionList {
    INVOICES("Invoices"),
    PAYMENTS("Payments"),
    CREDIT_NOTES("CreditNotes"),
    PREPAYMENTS("Prepayments"),
    OVERPAYMENTS("Overpayments");

    /** What pays or credits an invoice, in the order Xero's API names them. */
    public static final List<TransactionList> PAID_OR_CREDITED = List.of(PAYMENTS, CREDIT_NOTES, PREPAYMENTS, OVERPAYMENTS);

    private final String collection;

    TransactionList(String collection) {
        this.collection = collection;
    }

    public String collection() {
        return collection;
    }

    /** @throws IllegalArgumentException for a name that is not one of Xero's lists */
    public static TransactionList named(String collection) {
        for (TransactionList list : values()) {
            if (list.collection.equals(collection)) {
                return list;
            }
        }
        throw new IllegalArgumentException("unknown collection " + collection);
    }
}
