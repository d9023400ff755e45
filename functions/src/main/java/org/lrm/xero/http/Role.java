package org.lrm.xero.http;

/**
 * The roles, from the JWT's {@code role} claim: the LRM's admins, staff and learners, each within
 * their organisation, and the integration vendor's support staff (operators), across organisations
 * on routes of their own.
 */
public enum Role {
    ADMIN, STAFF, LEARNER, OPERATOR;

    public static Role parse(String claim) {
        if (claim == null) {
            return null;
        }
        return switch (claim) {
            case "admin" -> ADMIN;
            case "staff" -> STAFF;
            case "learner" -> LEARNER;
            case "operator" -> OPERATOR;
            default -> null;
        };
    }
}
