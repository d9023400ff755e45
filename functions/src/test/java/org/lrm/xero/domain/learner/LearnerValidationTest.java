package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LearnerValidationTest {

    static LearnerInput ana() {
        return new LearnerInput("L-1", "W000123", "Ana", "Lopez", "ana@example.org", "+61 400 000 000",
                new LearnerInput.AddressInput("1 Main St", "Perth", "WA", "6000", "AU"), true,
                List.of(new LearnerInput.EnrolmentInput("E-9", "BSB50120 Diploma of Business", "2027-02-01", "CONFIRMED")));
    }

    static LearnerInput withNames(String first, String last, String ref) {
        LearnerInput a = ana();
        return new LearnerInput(a.learnerId(), ref, first, last, a.email(), a.phone(), a.address(), a.syncToXero(), a.enrolments());
    }

    @Test
    void acceptsTheContractsExampleLearner() {
        LearnerValidation.Result result = LearnerValidation.validate(ana());

        assertThat(result.errors()).isEmpty();
        Learner learner = result.learner();
        assertThat(learner.refInternal()).isEqualTo("W000123");
        assertThat(learner.enrolments()).singleElement()
                .satisfies(e -> assertThat(e.startDate()).hasToString("2027-02-01"));
    }

    @Test
    void trimsAndCollapsesWhitespaceInNames() {
        Learner learner = LearnerValidation.validate(withNames("  Ana   Maria ", " Lopez\u00a0 Diaz", " W1 ")).learner();

        assertThat(learner.firstName()).isEqualTo("Ana Maria");
        assertThat(learner.lastName()).isEqualTo("Lopez Diaz");
        assertThat(ContactNaming.contactName(learner)).isEqualTo("Ana Maria Lopez Diaz W1");
    }

    @Test
    void namesEveryMissingRequiredField() {
        LearnerInput empty = new LearnerInput("L-1", " ", "", null, null, null, null, null, null);

        assertThat(LearnerValidation.validate(empty).errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("refInternal", "firstName", "lastName", "syncToXero");
    }

    @Test
    void refusesNamesOverXeroLimits() {
        String longName = "a".repeat(256);
        assertThat(LearnerValidation.validate(withNames(longName, "Lopez", "W1")).errors())
                .extracting(FieldError::field).containsExactly("firstName");
        // Each part fits, but together "First Last Ref" is over Xero's 255 for Name.
        assertThat(LearnerValidation.validate(withNames("a".repeat(130), "b".repeat(130), "W1")).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("Xero allows 255"));
        assertThat(LearnerValidation.validate(withNames("Ana", "Lopez", "W".repeat(51))).errors())
                .extracting(FieldError::field).containsExactly("refInternal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ana\u0000", "Ana\nLopez", "Ana\tB", "An\u200Ba", "Ana\u202E", "Ana 😀", "Ana \u2603"})
    void refusesControlInvisibleAndPictographicCharacters(String first) {
        assertThat(LearnerValidation.validate(withNames(first, "Lopez", "W1")).errors())
                .extracting(FieldError::field).containsExactly("firstName");
    }

    @ParameterizedTest
    @ValueSource(strings = {"José", "Zoë", "Łukasz", "王小明", "Nguyễn", "O'Brien", "Robert'); DROP TABLE learners;--", "=HYPERLINK(\"x\")"})
    void acceptsRealNamesAndKeepsSuspiciousLookingTextAsPlainText(String first) {
        LearnerValidation.Result result = LearnerValidation.validate(withNames(first, "Lopez", "W1"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.learner().firstName()).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana", "ana@", "@example.org", "ana@example", "a b@example.org", "jürgen@example.de"})
    void refusesInvalidEmails(String email) {
        LearnerInput a = ana();
        LearnerInput in = new LearnerInput(a.learnerId(), a.refInternal(), a.firstName(), a.lastName(), email,
                null, null, true, null);

        assertThat(LearnerValidation.validate(in).errors()).extracting(FieldError::field).containsExactly("email");
    }

    @Test
    void refusesABadEnrolmentDateAndAnUnsafeLearnerId() {
        LearnerInput a = ana();
        LearnerInput in = new LearnerInput("../etc", a.refInternal(), a.firstName(), a.lastName(), null, null, null,
                false, List.of(new LearnerInput.EnrolmentInput("E-1", "Course", "01/02/2027", null)));

        assertThat(LearnerValidation.validate(in).errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("learnerId", "enrolments[0].startDate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"W\"1", "W\\1", "W#1", "W,1", "W'1", "Ü123", "-W1", "W1(2)"})
    void refusesARefInternalXerosFiltersOrOurKeysCannotHold(String ref) {
        LearnerValidation.Result result = LearnerValidation.validate(withNames("Ana", "Lopez", ref));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("refInternal");
            assertThat(e.message()).contains("letters A-Z, digits and . _ / : -");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"W000123", "2027/ENR-1", "a.b_c:d-e", "X"})
    void acceptsARefInternalOfLettersDigitsAndSeparators(String ref) {
        assertThat(LearnerValidation.validate(withNames("Ana", "Lopez", ref)).errors()).isEmpty();
    }

    @Test
    void refusesMoreEnrolmentsThanTheCapAndAcceptsTheCap() {
        assertThat(LearnerValidation.validate(withEnrolments(LearnerValidation.MAX_ENROLMENTS, "BSB50120")).errors()).isEmpty();

        LearnerValidation.Result over = LearnerValidation.validate(withEnrolments(LearnerValidation.MAX_ENROLMENTS + 1, "BSB50120"));

        assertThat(over.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("enrolments");
            assertThat(e.message()).contains("101 enrolments").contains("at most 100");
        });
    }

    @Test
    void refusesALearnerOneByteOverItsStoredSizeAndAcceptsOneAtIt() {
        // The cap's enrolments, their courses filled with two-byte letters (each course within its 255 characters)
        // until the learner's text is exactly at its stored size; then one byte more.
        List<StringBuilder> courses = new java.util.ArrayList<>();
        for (int i = 0; i < LearnerValidation.MAX_ENROLMENTS; i++) {
            courses.add(new StringBuilder("C"));
        }
        int remaining = LearnerValidation.MAX_LEARNER_BYTES - LearnerValidation.textBytes(learner(courses));
        for (StringBuilder course : courses) {
            while (remaining >= 2 && course.length() < 254) {
                course.append('é');
                remaining -= 2;
            }
        }
        courses.get(0).append("C".repeat(remaining));
        LearnerValidation.Result atCap = LearnerValidation.validate(withCourses(courses));
        assertThat(atCap.errors()).isEmpty();
        assertThat(LearnerValidation.textBytes(atCap.learner())).isEqualTo(LearnerValidation.MAX_LEARNER_BYTES);

        courses.get(courses.size() - 1).append('C');
        LearnerValidation.Result over = LearnerValidation.validate(withCourses(courses));

        assertThat(over.learner()).isNull();
        assertThat(over.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("enrolments");
            assertThat(e.message()).contains((LearnerValidation.MAX_LEARNER_BYTES + 1) + " bytes")
                    .contains("at most " + LearnerValidation.MAX_LEARNER_BYTES);
        });
    }

    private static Learner learner(List<StringBuilder> courses) {
        return LearnerValidation.validate(withCourses(courses)).learner();
    }

    private static LearnerInput withCourses(List<StringBuilder> courses) {
        LearnerInput a = ana();
        List<LearnerInput.EnrolmentInput> enrolments = new java.util.ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            enrolments.add(new LearnerInput.EnrolmentInput("E-" + i, courses.get(i).toString(), "2027-02-01", "CONFIRMED"));
        }
        return new LearnerInput(a.learnerId(), a.refInternal(), a.firstName(), a.lastName(), a.email(), a.phone(), a.address(),
                a.syncToXero(), enrolments);
    }

    /** {@code count} enrolments, each of {@code course}. */
    static LearnerInput withEnrolments(int count, String course) {
        LearnerInput a = ana();
        List<LearnerInput.EnrolmentInput> enrolments = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            enrolments.add(new LearnerInput.EnrolmentInput("E-" + i, course, "2027-02-01", "CONFIRMED"));
        }
        return new LearnerInput(a.learnerId(), a.refInternal(), a.firstName(), a.lastName(), a.email(), a.phone(), a.address(),
                a.syncToXero(), enrolments);
    }
}
