package org.lrm.xero.adapter.xero;

import java.util.List;
import java.util.Locale;
import org.lrm.xero.app.xero.ContactResult;

/**
 * Reads why Xero refused a contact from its validation messages, which are English sentences
 * ({@code The contact name Ana Lopez W1 is already assigned to another contact...}, {@code The
 * contact number W1 is already assigned...}, {@code The contact has been archived...}). The only
 * place that matches Xero's words; the use cases see the reason and keep the words for staff.
 */
final class ContactRefusals {

    private ContactRefusals() {
    }

    static ContactResult.Refused of(List<String> xeroMessages) {
        return new ContactResult.Refused(reason(xeroMessages), xeroMessages);
    }

    static ContactResult.Reason reason(List<String> xeroMessages) {
        String all = String.join(" ", xeroMessages).toLowerCase(Locale.ROOT);
        if (all.contains("archived")) {
            return ContactResult.Reason.ARCHIVED;
        }
        if (all.contains("already assigned")) {
            if (all.contains("name")) {
                return ContactResult.Reason.NAME_TAKEN;
            }
            if (all.contains("number")) {
                return ContactResult.Reason.NUMBER_TAKEN;
            }
        }
        return ContactResult.Reason.OTHER;
    }
}
