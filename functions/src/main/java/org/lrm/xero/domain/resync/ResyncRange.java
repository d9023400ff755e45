package org.lrm.xero.domain.resync;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.domain.learner.FieldError;

/**
 * The invoice dates an admin asks to re-sync: both days included, {@code from} not after
 * {@code to}, nothing in the future (there is nothing there yet) and at most five years, which
 * is as far back as finance keeps records that matter to a learner.
 */
public record ResyncRange(LocalDate from, LocalDate to) {

    public static final int MAX_YEARS = 5;

    /** The range, or the reasons it is not one, named as the request names its fields. */
    public sealed interface Parsed {
    }

    public record Valid(ResyncRange range) implements Parsed {
    }

    public record Invalid(List<FieldError> errors) implements Parsed {
    }

    /** @param today the caller's today (UTC): {@code to} may be today, not later */
    public static Parsed parse(String from, String to, LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate f = date("from", from, errors);
        LocalDate t = date("to", to, errors);
        if (f != null && t != null) {
            if (f.isAfter(t)) {
                errors.add(new FieldError("from", "must not be after to (" + t + ")"));
            } else if (f.isBefore(t.minusYears(MAX_YEARS))) {
                errors.add(new FieldError("from", "is more than " + MAX_YEARS + " years before to; re-sync at most "
                        + MAX_YEARS + " years at a time"));
            }
        }
        if (t != null && t.isAfter(today)) {
            errors.add(new FieldError("to", "is in the future (today is " + today + ")"));
        } else if (f != null && f.isAfter(today)) {
            errors.add(new FieldError("from", "is in the future (today is " + today + ")"));
        }
        return errors.isEmpty() ? new Valid(new ResyncRange(f, t)) : new Invalid(List.copyOf(errors));
    }

    private static LocalDate date(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required, as YYYY-MM-DD"));
            return null;
        }
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            errors.add(new FieldError(field, "must be a date as YYYY-MM-DD"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "is not a calendar date"));
            return null;
        }
    }
}
