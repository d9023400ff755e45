package org.lrm.xero.adapter.xero;

import java.util.List;

/**
 * What Xero did with one element of an upsert, in the order sent: {@code contact} as Xero returned it
 * (with its ContactID when accepted), and Xero's validation messages when it was not.
 */
public record ContactUpsertResult(ContactDraft sent, Contact contact, List<String> validationErrors) {

    public ContactUpsertResult {
        validationErrors = List.copyOf(validationErrors);
    }

    public boolean accepted() {
        return validationErrors.isEmpty();
    }
}
