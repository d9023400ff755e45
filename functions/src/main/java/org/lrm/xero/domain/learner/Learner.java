package org.lrm.xero.domain.learner;

import java.util.List;

/**
 * A learner as the LRM sent it, after validation and normalisation: names trimmed and their
 * inner whitespace collapsed, optional fields null when blank.
 */
public record Learner(
        String learnerId,
        String refInternal,
        String firstName,
        String lastName,
        String email,
        String phone,
        Address address,
        boolean syncToXero,
        List<Enrolment> enrolments) {

    public Learner {
        enrolments = enrolments == null ? List.of() : List.copyOf(enrolments);
    }
}
