package org.lrm.xero.domain.learner;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a learner before anything is stored or queued, so that a learner Xero would refuse is
 * refused here, at once, with every wrong field named (and no Xero call spent on it).
 */
public final class LearnerValidation {

    /** The learner ids the LRM uses: short, URL-safe. */
    private static final Pattern LEARNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern PHONE = Pattern.compile("[0-9 +().\\-]+");
    /**
     * What a RefInternal may hold: it becomes the Xero contact's ContactNumber, is looked up in a Xero
     * {@code where} filter ({@code ContactNumber=="…"}, where a quote or backslash cannot be written) and
     * is part of a table key ({@code REF#…}), so letters and digits and a few separators only.
     */
    private static final Pattern REF_INTERNAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:-]*");
    /** Enrolments one learner may have: a learner's whole history of courses, with room to spare. */
    public static final int MAX_ENROLMENTS = 100;
    /**
     * A learner's text, every field and enrolment in UTF-8, at most 32 KiB: stored as one DynamoDB item
     * (as JSON, with its Xero state), it stays far under DynamoDB's 400 KB item limit, and a page of the
     * finance report can count on it.
     */
    public static final int MAX_LEARNER_BYTES = 32 * 1024;

    private LearnerValidation() {
    }

    /** Either the valid learner or every reason it is not. */
    public record Result(Learner learner, List<FieldError> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public static Result validate(LearnerInput in) {
        List<FieldError> errors = new ArrayList<>();
        String learnerId = in.learnerId();
        if (learnerId == null || !LEARNER_ID.matcher(learnerId).matches()) {
            errors.add(new FieldError("learnerId", "is required: 1 to 64 letters, digits, '.', '_', ':' or '-'"));
        }
        String ref = text(errors, "refInternal", in.refInternal(), true, XeroLimits.CONTACT_NUMBER);
        if (ref != null && ref.contains(" ")) {
            errors.add(new FieldError("refInternal", "must not contain spaces"));
        } else if (ref != null && !REF_INTERNAL.matcher(ref).matches()) {
            errors.add(new FieldError("refInternal", "may hold only letters A-Z, digits and . _ / : - (starting with a letter "
                    + "or digit): it is the Xero contact's ContactNumber, which Xero's filters look up"));
        }
        String first = text(errors, "firstName", in.firstName(), true, XeroLimits.FIRST_NAME);
        String last = text(errors, "lastName", in.lastName(), true, XeroLimits.LAST_NAME);
        if (ref != null && first != null && last != null) {
            String name = ContactNaming.contactName(first, last, ref);
            if (name.length() > XeroLimits.NAME) {
                errors.add(new FieldError("lastName", "makes the Xero contact name \"First Last RefInternal\" "
                        + name.length() + " characters long; Xero allows " + XeroLimits.NAME));
            }
        }
        String email = text(errors, "email", in.email(), false, XeroLimits.EMAIL);
        if (email != null && !email.chars().allMatch(c -> c < 128)) {
            errors.add(new FieldError("email", "must use ASCII characters only: Xero does not accept umlauts or other accents in email addresses"));
        } else if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError("email", "is not a valid email address"));
        }
        String phone = text(errors, "phone", in.phone(), false, XeroLimits.PHONE_NUMBER);
        if (phone != null && !PHONE.matcher(phone).matches()) {
            errors.add(new FieldError("phone", "may hold only digits, spaces and + ( ) . -"));
        }
        Address address = null;
        if (in.address() != null) {
            LearnerInput.AddressInput a = in.address();
            address = new Address(
                    text(errors, "address.line1", a.line1(), false, XeroLimits.ADDRESS_LINE),
                    text(errors, "address.city", a.city(), false, XeroLimits.CITY),
                    text(errors, "address.region", a.region(), false, XeroLimits.REGION),
                    text(errors, "address.postalCode", a.postalCode(), false, XeroLimits.POSTAL_CODE),
                    text(errors, "address.country", a.country(), false, XeroLimits.COUNTRY));
            if (address.isEmpty()) {
                address = null;
            }
        }
        if (in.syncToXero() == null) {
            errors.add(new FieldError("syncToXero", "is required: true or false"));
        }
        List<Enrolment> enrolments = enrolments(errors, in.enrolments());
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        Learner learner = new Learner(learnerId, ref, first, last, email, phone, address, in.syncToXero(), enrolments);
        int bytes = textBytes(learner);
        if (bytes > MAX_LEARNER_BYTES) {
            return new Result(null, List.of(new FieldError("enrolments", "make the learner " + bytes
                    + " bytes of text; a learner may hold at most " + MAX_LEARNER_BYTES + " (" + MAX_LEARNER_BYTES / 1024 + " KiB)")));
        }
        return new Result(learner, List.of());
    }

    /** The learner's text in UTF-8: every field and every enrolment's, what its stored item grows with. */
    public static int textBytes(Learner l) {
        int bytes = utf8(l.learnerId()) + utf8(l.refInternal()) + utf8(l.firstName()) + utf8(l.lastName()) + utf8(l.email())
                + utf8(l.phone());
        Address a = l.address();
        if (a != null) {
            bytes += utf8(a.line1()) + utf8(a.city()) + utf8(a.region()) + utf8(a.postalCode()) + utf8(a.country());
        }
        for (Enrolment e : l.enrolments()) {
            bytes += utf8(e.enrolmentId()) + utf8(e.course()) + utf8(e.status()) + (e.startDate() == null ? 0 : 10);
        }
        return bytes;
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static List<Enrolment> enrolments(List<FieldError> errors, List<LearnerInput.EnrolmentInput> inputs) {
        if (inputs == null) {
            return List.of();
        }
        if (inputs.size() > MAX_ENROLMENTS) {
            errors.add(new FieldError("enrolments", "has " + inputs.size() + " enrolments; a learner may have at most "
                    + MAX_ENROLMENTS));
            return List.of();
        }
        List<Enrolment> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            LearnerInput.EnrolmentInput e = inputs.get(i);
            String at = "enrolments[" + i + "]";
            if (e == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            String id = text(errors, at + ".enrolmentId", e.enrolmentId(), true, 64);
            String course = text(errors, at + ".course", e.course(), false, 255);
            String status = text(errors, at + ".status", e.status(), false, 32);
            LocalDate start = null;
            if (e.startDate() != null) {
                try {
                    start = LocalDate.parse(e.startDate());
                } catch (DateTimeParseException ex) {
                    errors.add(new FieldError(at + ".startDate", "must be a date as YYYY-MM-DD"));
                }
            }
            out.add(new Enrolment(id, course, start, status));
        }
        return out;
    }

    /**
     * Checks one text field: refuses characters Xero would store badly or a person cannot see,
     * then normalises whitespace and checks the length Xero allows.
     */
    private static String text(List<FieldError> errors, String field, String raw, boolean required, int maxLength) {
        if (raw != null) {
            String problem = characterProblem(raw);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
                return null;
            }
        }
        String value = ContactNaming.normalise(raw);
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(new FieldError(field, "is " + value.length() + " characters long; Xero allows " + maxLength));
            return null;
        }
        return value;
    }

    /** Why a value's characters cannot go to Xero, or null when they can. */
    static String characterProblem(String raw) {
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == ' ') {
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return "must not contain control or invisible formatting characters (found U+"
                        + String.format("%04X", cp) + ")";
            }
            if (type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
                return "contains a character that is not valid text (U+" + String.format("%04X", cp) + ")";
            }
            if (type == Character.OTHER_SYMBOL) {
                return "must not contain emoji or pictographic symbols: they do not belong in a contact's legal name";
            }
        }
        return null;
    }
}
