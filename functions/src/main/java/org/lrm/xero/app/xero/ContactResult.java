package org.lrm.xero.app.xero;

import java.util.List;

/** What Xero did with one contact of a write: saved it, or refused it for a reason. */
public sealed interface ContactResult {

    /** Saved: the contact as Xero holds it now, with its ContactID. */
    record Saved(XeroContact contact) implements ContactResult {
    }

    /**
     * Refused.
     *
     * @param xeroMessages Xero's own words, kept for staff (they name the field and the clash)
     */
    record Refused(Reason reason, List<String> xeroMessages) implements ContactResult {
        public Refused {
            xeroMessages = List.copyOf(xeroMessages);
        }

        /** Xero's words as one text. */
        public String xeroText() {
            return String.join(" ", xeroMessages);
        }
    }

    /** Why Xero refused a contact. */
    enum Reason {
        /** Another active contact has this name (Xero's names are unique among active contacts). */
        NAME_TAKEN,
        /** Another contact has this ContactNumber. */
        NUMBER_TAKEN,
        /** The contact is archived in Xero: it cannot be changed until restored. */
        ARCHIVED,
        /** Anything else Xero's validation refused. */
        OTHER;

        /** Another contact already holds the name or the number: perhaps the learner's own, created before. */
        public boolean taken() {
            return this == NAME_TAKEN || this == NUMBER_TAKEN;
        }
    }
}
