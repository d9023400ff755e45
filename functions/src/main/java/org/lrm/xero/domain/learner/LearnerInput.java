package org.lrm.xero.domain.learner;

import java.util.List;

/**
 * A learner exactly as it arrived, before any check: every value may be missing, blank or wrong.
 * {@link LearnerValidation} turns it into a {@link Learner} or says what is wrong with it.
 */
public record LearnerInput(
        String learnerId,
        String refInternal,
        String firstName,
        String lastName,
        String email,
        String phone,
        AddressInput address,
        Boolean syncToXero,
        List<EnrolmentInput> enrolments) {

    public record AddressInput(String line1, String city, String region, String postalCode, String country) {
    }

    public record EnrolmentInput(String enrolmentId, String course, String startDate, String status) {
    }
}
