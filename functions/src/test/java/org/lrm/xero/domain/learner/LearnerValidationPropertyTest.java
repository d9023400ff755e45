package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Draw;
import org.lrm.xero.cases.GeneratedCases;
import org.lrm.xero.cases.Property;

/**
 * Whatever the LRM sends, validation answers (it never throws), and a learner it accepts becomes a
 * Xero contact within every one of Xero's limits, with no control or invisible characters.
 */
class LearnerValidationPropertyTest {

    private static final long SEED = 20_250_302L;
    /** As many as the property had with its former library; as many again of plausible learners. */
    private static final int CASES = 2_000;

    /** Names real and hostile: SQL and formula look-alikes, emoji, controls, invisible and lone surrogate chars. */
    private static final List<String> HOSTILE = List.of("Robert'); DROP TABLE learners;--", "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0", "@SUM(A1)", "😀 Smile", "Ana\u0000Lopez", "Tab\tName", "Zero\u200Bwidth",
            "  spaced  out  ", "\uD800lonely", "Ana\r\nLopez", "");

    @Property
    @MethodSource("learners")
    void anyInputIsAnsweredAndEveryAcceptedLearnerFitsXero(LearnerInput input) {
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

    /**
     * The property says something about accepted learners only if the cases hold some: at least one
     * in ten of the generated ones (arbitrary input alone is accepted about once in 2,000; with the
     * plausible learners, about one in five).
     */
    @Test
    void theGeneratedLearnersIncludeAcceptedOnes() {
        long accepted = generatedLearners()
                .map(arguments -> (LearnerInput) arguments.get()[0])
                .filter(input -> LearnerValidation.validate(input).isValid())
                .count();

        assertThat(accepted).isGreaterThanOrEqualTo(2 * CASES / 10);
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

    static Stream<Arguments> learners() {
        return Stream.concat(GeneratedCases.edges(edgeLearners().stream().map(input -> List.of(input)).toList()),
                generatedLearners());
    }

    /** {@code CASES} arbitrary learners, then {@code CASES} plausible ones, under seeds of their own. */
    private static Stream<Arguments> generatedLearners() {
        return Stream.concat(GeneratedCases.generated(SEED, CASES, draw -> List.of(learner(draw))),
                GeneratedCases.generated(SEED + 1, CASES, draw -> List.of(plausibleLearner(draw))));
    }

    /**
     * The contract's example; nothing at all; every field at Xero's limit and one past it; each
     * hostile text in every field, and as the first name of an otherwise valid learner; enrolments
     * empty, null, holding null, with impossible or foreign dates.
     */
    private static List<LearnerInput> edgeLearners() {
        LearnerInput ana = LearnerValidationTest.ana();
        List<LearnerInput> edges = new ArrayList<>();
        edges.add(ana);
        edges.add(new LearnerInput(null, null, null, null, null, null, null, null, null));
        edges.add(atLimits(0));
        edges.add(atLimits(1));
        edges.add(new LearnerInput("L".repeat(64), "W1", "a".repeat(255), "b", null, null, null, false, null));
        edges.add(new LearnerInput("L".repeat(65), "W1", "Ana", "Lopez", null, null, null, false, null));
        edges.add(new LearnerInput("L-1", "r".repeat(50), "a".repeat(100), "b".repeat(103), null, null, null, true, List.of()));
        edges.add(new LearnerInput("L-1", "r".repeat(50), "a".repeat(100), "b".repeat(104), null, null, null, true, List.of()));
        edges.add(new LearnerInput("L-1", " W1 ", "  Ana  ", "\u00A0Lopez\u3000", " ana@example.org ", " 1 ", null, true, null));
        for (String hostile : HOSTILE) {
            edges.add(new LearnerInput(hostile, hostile, hostile, hostile, hostile, hostile,
                    new LearnerInput.AddressInput(hostile, hostile, hostile, hostile, hostile), true,
                    List.of(new LearnerInput.EnrolmentInput(hostile, hostile, hostile, hostile))));
            edges.add(new LearnerInput(ana.learnerId(), ana.refInternal(), hostile, ana.lastName(), ana.email(), ana.phone(),
                    ana.address(), ana.syncToXero(), ana.enrolments()));
        }
        for (String email : List.of("a@b", "ü@example.org", "x@y.z ", "a@b@c.d", "@example.org")) {
            edges.add(withEmail(ana, email));
        }
        for (List<LearnerInput.EnrolmentInput> enrolments : Arrays.<List<LearnerInput.EnrolmentInput>>asList(null, List.of(),
                Arrays.asList((LearnerInput.EnrolmentInput) null),
                List.of(new LearnerInput.EnrolmentInput("E-1", null, "2027-02-30", null)),
                List.of(new LearnerInput.EnrolmentInput("E-1", null, "01/02/2027", null)),
                List.of(new LearnerInput.EnrolmentInput(null, null, null, null)))) {
            edges.add(new LearnerInput(ana.learnerId(), ana.refInternal(), ana.firstName(), ana.lastName(), ana.email(),
                    ana.phone(), ana.address(), ana.syncToXero(), enrolments));
        }
        edges.add(new LearnerInput(ana.learnerId(), ana.refInternal(), ana.firstName(), ana.lastName(), ana.email(),
                ana.phone(), new LearnerInput.AddressInput(" ", "", null, "\u00A0", " "), null, ana.enrolments()));
        return edges;
    }

    /** Every field at Xero's limit ({@code over} 0), or each one character past it ({@code over} 1). */
    private static LearnerInput atLimits(int over) {
        String email = "a".repeat(XeroLimits.EMAIL - "@example.org".length() + over) + "@example.org";
        return new LearnerInput("L".repeat(64 + over), "r".repeat(XeroLimits.CONTACT_NUMBER + over),
                "a".repeat(100), "b".repeat(XeroLimits.NAME - 100 - XeroLimits.CONTACT_NUMBER - 2 + over), email,
                "1".repeat(XeroLimits.PHONE_NUMBER + over),
                new LearnerInput.AddressInput("l".repeat(XeroLimits.ADDRESS_LINE + over), "c".repeat(XeroLimits.CITY + over),
                        "r".repeat(XeroLimits.REGION + over), "p".repeat(XeroLimits.POSTAL_CODE + over),
                        "c".repeat(XeroLimits.COUNTRY + over)), true,
                List.of(new LearnerInput.EnrolmentInput("e".repeat(64 + over), "c".repeat(255 + over), "2027-02-01",
                        "s".repeat(32 + over))));
    }

    private static LearnerInput withEmail(LearnerInput a, String email) {
        return new LearnerInput(a.learnerId(), a.refInternal(), a.firstName(), a.lastName(), email, a.phone(), a.address(),
                a.syncToXero(), a.enrolments());
    }

    private static LearnerInput learner(Draw draw) {
        String learnerId = draw.from(() -> text(draw), () -> draw.string(1, 70, "ABCxyz019._:-"));
        String ref = draw.from(() -> text(draw), () -> draw.string(1, 60, Draw.ALPHA + Draw.DIGITS));
        String first = text(draw);
        String last = text(draw);
        String email = draw.from(() -> text(draw), () -> draw.oneOf("ana@example.org", "a@b", "ü@example.org", "x@y.z "));
        String phone = draw.from(() -> text(draw), () -> draw.string(0, 60, "0123456789 +().-"));
        LearnerInput.AddressInput address = draw.orNull(0.3, () -> new LearnerInput.AddressInput(
                text(draw), text(draw), text(draw), text(draw), text(draw)));
        Boolean syncToXero = draw.orNull(0.1, () -> draw.chance(0.5));
        List<LearnerInput.EnrolmentInput> enrolments = draw.orNull(0.3, () -> draw.list(0, 3,
                () -> draw.orNull(0.1, () -> new LearnerInput.EnrolmentInput(text(draw), text(draw),
                        draw.from(() -> text(draw), () -> draw.oneOf("2027-02-01", "2027-02-30", "01/02/2027")), text(draw)))));
        return new LearnerInput(learnerId, ref, first, last, email, phone, address, syncToXero, enrolments);
    }

    /**
     * A learner as the LRM would send one, fields up to a few characters past Xero's limits; one time
     * in three one field swapped for arbitrary or hostile text, else one time in three a character
     * no name should hold put into one field.
     */
    private static LearnerInput plausibleLearner(Draw draw) {
        String name = Draw.ALPHA + " -'éñØ";
        String[] fields = {
            draw.string(1, 1, Draw.ALPHA) + draw.string(0, 65, Draw.ALPHA + Draw.DIGITS + "._:-"),
            draw.string(1, XeroLimits.CONTACT_NUMBER + 3, Draw.ALPHA + Draw.DIGITS),
            draw.string(1, 130, name),
            draw.string(1, 130, name),
            draw.orNull(0.3, () -> draw.string(1, 60, Draw.ALPHA + Draw.DIGITS + "._+") + "@"
                    + draw.string(1, 20, Draw.ALPHA) + "." + draw.oneOf("org", "com.au", "co.nz")),
            draw.orNull(0.3, () -> draw.string(1, XeroLimits.PHONE_NUMBER + 3, "0123456789 +().-")),
        };
        if (draw.chance(1.0 / 3)) {
            fields[draw.between(0, fields.length - 1)] = text(draw);
        } else if (draw.chance(1.0 / 3)) {
            // One odd character (an emoji, a control, a lone surrogate...) in a field otherwise fine.
            int field = draw.between(0, fields.length - 1);
            if (fields[field] != null) {
                int at = draw.between(0, fields[field].length());
                fields[field] = fields[field].substring(0, at) + draw.oddCharacter() + fields[field].substring(at);
            }
        }
        LearnerInput.AddressInput address = draw.orNull(0.3, () -> new LearnerInput.AddressInput(
                draw.string(0, XeroLimits.ADDRESS_LINE + 3, name + Draw.DIGITS), draw.string(0, XeroLimits.CITY + 3, name),
                draw.string(0, XeroLimits.REGION + 3, name), draw.string(0, XeroLimits.POSTAL_CODE + 3, Draw.DIGITS),
                draw.string(0, XeroLimits.COUNTRY + 3, Draw.ALPHA)));
        List<LearnerInput.EnrolmentInput> enrolments = draw.list(0, 3, () -> new LearnerInput.EnrolmentInput(
                draw.string(1, 64, Draw.ALPHA + Draw.DIGITS + "-"), draw.orNull(0.2, () -> draw.string(1, 255, name)),
                draw.orNull(0.2, () -> LocalDate.ofEpochDay(draw.between(0, 50_000)).toString()),
                draw.orNull(0.2, () -> draw.oneOf("CONFIRMED", "PENDING", "WITHDRAWN"))));
        return new LearnerInput(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], address, draw.chance(0.5),
                enrolments);
    }

    /** Names real and hostile: letters, accents, whitespace, controls, emoji, SQL and formula look-alikes, long runs. */
    private static String text(Draw draw) {
        return draw.orNull(0.15, () -> draw.from(
                () -> draw.string(0, 300, Draw.ALPHA + " -'éñØ"),
                () -> draw.anyString(0, 80),
                () -> draw.oneOf(HOSTILE)));
    }
}
