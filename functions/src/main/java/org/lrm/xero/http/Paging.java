package org.lrm.xero.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.lrm.xero.domain.learner.FieldError;

/**
 * The query of a paged list: {@code limit} (how many) and {@code cursor} (where the page before
 * ended: its last id, which the caller hands back as it came, as the list's {@code nextCursor}).
 * What is wrong is added to {@code errors}, so that a request's every bad parameter is named at once.
 */
public final class Paging {

    private Paging() {
    }

    /** {@code ?limit=}: {@code byDefault} when absent, else a whole number from 1 to {@code max}. */
    public static int limit(ApiRequest request, int byDefault, int max, List<FieldError> errors) {
        String asked = request.query("limit");
        if (asked == null) {
            return byDefault;
        }
        int limit;
        try {
            limit = Integer.parseInt(asked.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            errors.add(new FieldError("limit", "must be a whole number from 1 to " + max));
            return byDefault;
        }
        return limit;
    }

    /** {@code ?cursor=}: the id the page before ended with, or null from the start. */
    public static String after(ApiRequest request, List<FieldError> errors) {
        String cursor = request.query("cursor");
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("cursor", "is not one this API gave (use nextCursor as it came)"));
            return null;
        }
    }

    /** The {@code nextCursor} of a page that ended with {@code lastId}; null when no more follow. */
    public static String nextCursor(boolean more, String lastId) {
        return more && lastId != null
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8)) : null;
    }
}
