package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the LRM sends, validation answers (it never throws), and a learner it accepts becomes a
 * Xero contact within every one of Xero's limits, with no control or invisible characters.
 */
class LearnerValidationPropertyTest {

    @Property(tries = 2000)
    void anyInputIsAnsweredAndEveryAcceptedLearnerFitsXero(@ForAll("learners") LearnerInput input) {
        LearnerValidation.Result result = LearnerValidation.validate(input);

        if (!result.isValid()) {
            assertThat(result.errors()).allSatisfy(e -> {
                assertThat(e.field()).isNotBlank();
                assertThat(e.message()).isNotBlank();
            });
            return;
        }
        ContactDetails c = ContactDetails.of(result.learner());
        assertWithin(c.name(), XeroLimits.NAME);
        assertWithin(c.contactNumber(), XeroLimits.CONTACT_NUMBER);
        assertWithin(c.firstName(), XeroLimits.FIRST_NAME);
        assertWithin(c.lastName(), XeroLimits.LAST_NAME);
        assertWithin(c.email(), XeroLimits.EMAIL);
        assertWithin(c.phone(), XeroLimits.PHONE_NUMBER);
        if (c.address() != null) {
            assertWithin(c.address().line1(), XeroLimits.ADDRESS_LINE);
            assertWithin(c.address().city(), XeroLimits.CITY);
            assertWithin(c.address().region(), XeroLimits.REGION);
            assertWithin(c.address().postalCode(), XeroLimits.POSTAL_CODE);
            assertWithin(c.address().country(), XeroLimits.COUNTRY);
        }
        assertThat(c.name()).isNotBlank().endsWith(c.contactNumber());
        assertThat(c.fingerprint()).hasSize(32);
    }

    private static void assertWithin(String value, int limit) {
        if (value == null) {
            return;
        }
        assertThat(value.length()).isLessThanOrEqualTo(limit);
        assertThat(value).isEqualTo(value.strip());
        assertThat(value.codePoints()).noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.OTHER_SYMBOL);
    }

    @Provide
    Arbitrary<LearnerInput> learners() {
        Arbitrary<String> text = text();
        Arbitrary<LearnerInput.AddressInput> address = Combinators.combine(text, text, text, text, text)
                .as(LearnerInput.AddressInput::new).injectNull(0.3);
        Arbitrary<LearnerInput.EnrolmentInput> enrolment = Combinators.combine(text, text,
                Arbitraries.oneOf(text, Arbitraries.of("2027-02-01", "2027-02-30", "01/02/2027")), text)
                .as(LearnerInput.EnrolmentInput::new).injectNull(0.1);
        Arbitrary<List<LearnerInput.EnrolmentInput>> enrolments = enrolment.list().ofMaxSize(3).injectNull(0.3);
        Arbitrary<List<String>> names = Combinators.combine(
                Arbitraries.oneOf(text, Arbitraries.strings().withChars("ABCxyz019._:-").ofMinLength(1).ofMaxLength(70)),
                Arbitraries.oneOf(text, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(60)),
                text, text).as(java.util.Arrays::asList);
        return Combinators.combine(names,
                Arbitraries.oneOf(text, Arbitraries.of("ana@example.org", "a@b", "ü@example.org", "x@y.z ")),
                Arbitraries.oneOf(text, Arbitraries.strings().withChars("0123456789 +().-").ofMaxLength(60)),
                address,
                Arbitraries.of(true, false).injectNull(0.1),
                enrolments)
                .as((n, email, phone, a, sync, e) -> new LearnerInput(n.get(0), n.get(1), n.get(2), n.get(3), email, phone, a, sync, e));
    }

    /** Names real and hostile: letters, accents, whitespace, controls, emoji, SQL and formula look-alikes, long runs. */
    private static Arbitrary<String> text() {
        Arbitrary<String> plain = Arbitraries.strings().alpha().withChars(" -'éñØ").ofMaxLength(300);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(80);
        Arbitrary<String> hostile = Arbitraries.of(Stream.of("Robert'); DROP TABLE learners;--", "=HYPERLINK(\"http://x\")",
                "+cmd|' /C calc'!A0", "@SUM(A1)", "😀 Smile", "Ana\u0000Lopez", "Tab\tName", "Zero\u200Bwidth", "  spaced  out  ",
                "\uD800lonely", "Ana\r\nLopez", "").toList());
        return Arbitraries.oneOf(plain, anything, hostile).injectNull(0.15);
    }
}
