package org.lrm.xero.http;

/** The LRM's roles, from the JWT's {@code role} claim. */
public enum Role {
    ADMIN, STAFF, LEARNER;

    public static Role parse(String claim) {
        if (claim == null) {
            return null;
        }
        return switch (claim) {
            case "admin" -> ADMIN;
            case "staff" -> STAFF;
            case "learner" -> LEARNER;
            default -> null;
        };
    }
}
