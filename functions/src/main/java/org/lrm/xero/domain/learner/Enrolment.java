package org.lrm.xero.domain.learner;

import java.time.LocalDate;

/** An enrolment of the learner, carried to the finance report so finance knows what to invoice. */
public record Enrolment(String enrolmentId, String course, LocalDate startDate, String status) {
}
