package org.lrm.xero.domain.learner;

/** One reason a field of a request was refused, named the way the caller named the field. */
public record FieldError(String field, String message) {
}
