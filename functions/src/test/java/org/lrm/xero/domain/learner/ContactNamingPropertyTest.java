package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Whitespace;

/** Properties of contact naming that must hold for every learner, not just the examples. */
class ContactNamingPropertyTest {

    @Property
    void theNameEndsWithTheReferenceAndHasNoStrayWhitespace(
            @ForAll @AlphaChars @Whitespace @NotBlank @StringLength(max = 40) String first,
            @ForAll @AlphaChars @Whitespace @NotBlank @StringLength(max = 40) String last,
            @ForAll @AlphaChars @NotBlank @StringLength(max = 20) String ref) {
        String name = ContactNaming.contactName(first, last, ref);

        assertThat(name).endsWith(" " + ref.strip())
                .doesNotStartWith(" ").doesNotEndWith(" ")
                .doesNotContain("  ").doesNotContain("\t").doesNotContain("\n");
    }

    @Property
    void normalisingTwiceChangesNothing(@ForAll String value) {
        String once = ContactNaming.normalise(value);

        assertThat(ContactNaming.normalise(once)).isEqualTo(once);
    }

    @Property
    void distinctReferencesNeverShareAName(
            @ForAll @AlphaChars @NotBlank @StringLength(max = 20) String first,
            @ForAll @AlphaChars @NotBlank @StringLength(max = 20) String last,
            @ForAll @AlphaChars @NotBlank @StringLength(max = 10) String refA,
            @ForAll @AlphaChars @NotBlank @StringLength(max = 10) String refB) {
        // Two learners with the same first and last name still get distinct Xero names.
        if (!refA.equals(refB)) {
            assertThat(ContactNaming.contactName(first, last, refA))
                    .isNotEqualTo(ContactNaming.contactName(first, last, refB));
        }
    }

    @Property
    void validationNeverAcceptsWhatXeroWouldRefuse(@ForAll @StringLength(max = 300) String first,
                                                   @ForAll @StringLength(max = 60) String ref) {
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
}
