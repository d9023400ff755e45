package org.lrm.xero.app.xero;

import java.util.Objects;
import org.lrm.xero.domain.learner.ContactDetails;

/**
 * One contact to create or update in Xero: with {@code contactId} the contact is updated, without
 * it one is created. Xero keeps what it holds for a field the details leave empty.
 */
public record ContactWrite(String contactId, ContactDetails details) {

    public ContactWrite {
        Objects.requireNonNull(details, "details");
    }
}
