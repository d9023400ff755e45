package org.lrm.xero.domain.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContactDetailsTest {

    private final Learner ana = LearnerValidation.validate(LearnerValidationTest.ana()).learner();

    @Test
    void mapsALearnerToTheContactOfTheContract() {
        ContactDetails contact = ContactDetails.of(ana);

        assertThat(contact.name()).isEqualTo("Ana Lopez W000123");
        assertThat(contact.contactNumber()).isEqualTo("W000123");
        assertThat(contact.firstName()).isEqualTo("Ana");
        assertThat(contact.lastName()).isEqualTo("Lopez");
        assertThat(contact.email()).isEqualTo("ana@example.org");
        assertThat(contact.address().city()).isEqualTo("Perth");
    }

    @Test
    void theFingerprintChangesWithXeroFieldsOnly() {
        Learner newEnrolmentsAndUnticked = new Learner(ana.learnerId(), ana.refInternal(), ana.firstName(),
                ana.lastName(), ana.email(), ana.phone(), ana.address(), false, List.of());
        Learner newEmail = new Learner(ana.learnerId(), ana.refInternal(), ana.firstName(), ana.lastName(),
                "ana.lopez@example.org", ana.phone(), ana.address(), true, ana.enrolments());

        String before = ContactDetails.of(ana).fingerprint();

        assertThat(ContactDetails.of(newEnrolmentsAndUnticked).fingerprint()).isEqualTo(before);
        assertThat(ContactDetails.of(newEmail).fingerprint()).isNotEqualTo(before);
    }
}
