package org.lrm.xero.app.xero;

import java.time.Instant;

/**
 * A contact as Xero holds it, as far as the integration reads it.
 *
 * @param contactNumber null when the contact has none (one finance made)
 * @param mergedInto the contact Xero merged this one into (it is then archived); null otherwise
 * @param updatedAt Xero's UpdatedDateUTC; null when Xero did not say
 */
public record XeroContact(String contactId, String name, String contactNumber, boolean archived, String mergedInto,
        Instant updatedAt) {
}
