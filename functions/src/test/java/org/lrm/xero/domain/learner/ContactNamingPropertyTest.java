package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lrm.xero.cases.GeneratedCases.edgesThenGenerated;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Draw;
import org.lrm.xero.cases.Property;

/** Properties of contact naming that must hold for every learner, not just the examples. */
class ContactNamingPropertyTest {

    private static final long SEED = 20_250_301L;
    private static final int CASES = 1_000;
    private static final String ALPHA_AND_WHITESPACE = Draw.ALPHA + Draw.WHITESPACE;

    @Property
    @MethodSource("namesAndReferences")
    void theNameEndsWithTheReferenceAndHasNoStrayWhitespace(String first, String last, String ref) {
        String name = ContactNaming.contactName(first, last, ref);

        assertThat(name).endsWith(" " + ref.strip())
                .doesNotStartWith(" ").doesNotEndWith(" ")
                .doesNotContain("  ").doesNotContain("\t").doesNotContain("\n");
        // Every space left is a plain one: no-break, ideographic and line or paragraph separators are collapsed too.
        assertThat(name.chars().filter(c -> c != ' ' && Character.isSpaceChar(c))).isEmpty();
    }

    /** First and last names of letters and any whitespace, each with a letter; references of 1 to 20 letters. */
    static Stream<Arguments> namesAndReferences() {
        String max = "a".repeat(40);
        return edgesThenGenerated(List.of(
                List.of("a", "b", "c"),
                List.of(max, max, "r".repeat(20)),
                List.of(" a ", "\tb\n", "C"),
                List.of(Draw.WHITESPACE + "a" + Draw.WHITESPACE, "b" + Draw.WHITESPACE + "c", "R"),
                List.of("Ana\u00A0\u00A0Maria", "Lopez\u3000\u2028Diaz", "W1"),
                List.of("\u2007a\u202F", "\u2029b\u0085", "Ref")),
                SEED, CASES, draw -> List.of(nameOf(draw, 40), nameOf(draw, 40), draw.string(1, 20, Draw.ALPHA)));
    }

    @Property
    @MethodSource("anyText")
    void normalisingTwiceChangesNothing(String value) {
        String once = ContactNaming.normalise(value);

        assertThat(ContactNaming.normalise(once)).isEqualTo(once);
    }

    /** Any text of up to 255 chars, and the empty, blank and odd values worth naming. */
    static Stream<Arguments> anyText() {
        return edgesThenGenerated(Stream.of(null, "", " ", "  ", "\u0000", "\uFFFF", "\uD800", "\uDC00", "\uD83D\uDE00",
                        Draw.WHITESPACE, "a" + Draw.WHITESPACE + "b", "\u200B", " \u200B ", "x".repeat(255),
                        " ".repeat(255), "a\u001Cb", "\u001C a \u001F")
                        .map(ContactNamingPropertyTest::single).toList(),
                SEED, CASES, draw -> single(draw.anyString(0, 255)));
    }

    @Property
    @MethodSource("oneNameTwoReferences")
    void distinctReferencesNeverShareAName(String first, String last, String refA, String refB) {
        // Two learners with the same first and last name still get distinct Xero names.
        assertThat(refA).isNotEqualTo(refB);
        assertThat(ContactNaming.contactName(first, last, refA))
                .isNotEqualTo(ContactNaming.contactName(first, last, refB));
    }

    /** Names of 1 to 20 letters and two different references of 1 to 10 letters. */
    static Stream<Arguments> oneNameTwoReferences() {
        return edgesThenGenerated(List.of(
                List.of("a", "b", "c", "d"),
                List.of("a", "b", "r", "R"),
                List.of("a", "b", "r", "rr"),
                List.of("Ana", "Lopez", "ab", "ba"),
                List.of("a".repeat(20), "b".repeat(20), "c".repeat(10), "c".repeat(9))),
                SEED, CASES, draw -> {
                    String refA = draw.string(1, 10, Draw.ALPHA);
                    String refB = draw.string(1, 10, Draw.ALPHA);
                    if (refB.equals(refA)) {
                        // The original property skipped equal references; here every case checks two distinct ones.
                        refB = refA.length() < 10 ? refA + draw.oneOf("x", "Y") : refA.substring(1);
                    }
                    return List.of(draw.string(1, 20, Draw.ALPHA), draw.string(1, 20, Draw.ALPHA), refA, refB);
                });
    }

    @Property
    @MethodSource("firstNamesAndReferences")
    void validationNeverAcceptsWhatXeroWouldRefuse(String first, String ref) {
        LearnerValidation.Result result = LearnerValidation.validate(
                LearnerValidationTest.withNames(first, "Lopez", ref));

        if (result.isValid()) {
            Learner learner = result.learner();
            ContactDetails contact = ContactDetails.of(learner);
            assertThat(contact.name().length()).isLessThanOrEqualTo(XeroLimits.NAME);
            assertThat(contact.contactNumber().length()).isLessThanOrEqualTo(XeroLimits.CONTACT_NUMBER);
            assertThat(contact.name().codePoints().noneMatch(Character::isISOControl)).isTrue();
        } else {
            assertThat(result.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
        }
    }

    /**
     * Any first name of up to 300 chars and reference of up to 60, and those at Xero's limits:
     * "First Lopez Ref" at 255 and 256 characters, a first name of 255 and 256, a reference of 50 and 51.
     */
    static Stream<Arguments> firstNamesAndReferences() {
        return edgesThenGenerated(List.of(
                Arrays.asList(null, null),
                List.of("", ""),
                List.of(" ", " "),
                List.of("a".repeat(247), "R"),
                List.of("a".repeat(248), "R"),
                List.of("a".repeat(255), "R"),
                List.of("a".repeat(256), "R"),
                List.of("a".repeat(300), "r".repeat(60)),
                List.of("Ana", "r".repeat(50)),
                List.of("Ana", "r".repeat(51)),
                List.of("a".repeat(198), "r".repeat(50)),
                List.of("a".repeat(199), "r".repeat(50)),
                List.of("Ana\u0000", "W1"),
                List.of("Ana", "W\u0085"),
                List.of("\uD83D\uDE00", "W1"),
                List.of("\uD800", "W1"),
                List.of("Ana" + "\u00A0".repeat(250), "W1")),
                SEED, CASES, draw -> List.of(draw.anyString(0, 300), draw.anyString(0, 60)));
    }

    /** Letters and whitespace, with at least one letter. */
    private static String nameOf(Draw draw, int maxLength) {
        String name = draw.string(1, maxLength, ALPHA_AND_WHITESPACE);
        if (name.chars().anyMatch(Character::isLetter)) {
            return name;
        }
        int at = draw.between(0, name.length() - 1);
        return name.substring(0, at) + draw.oneOf('a', 'Z') + name.substring(at + 1);
    }

    private static List<?> single(String value) {
        return Arrays.asList(value);
    }
}
