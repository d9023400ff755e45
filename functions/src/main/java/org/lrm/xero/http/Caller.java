package org.lrm.xero.http;

/**
 * Who is calling, from the JWT claims the API's authorizer checked: the user, their LRM
 * organisation (every route but the operators' is scoped to it; an operator has none), their role
 * and, for a learner, which learner they are. Each {@code require…} refuses every other role, the
 * operator included, so an operator reaches only the routes made for them.
 */
public record Caller(String userId, String orgId, Role role, String learnerId) {

    /** The operators' routes: the integration vendor's support staff, across organisations. */
    public void requireOperator() {
        if (role != Role.OPERATOR) {
            throw ApiProblem.forbidden("This needs the integration vendor's support (role operator).");
        }
    }

    /** Admin-only routes: connect, disconnect, re-sync, bulk sync. */
    public void requireAdmin() {
        if (role != Role.ADMIN) {
            throw ApiProblem.forbidden("This needs an LRM admin.");
        }
    }

    /** Staff routes (admins are staff too). */
    public void requireStaff() {
        if (role != Role.ADMIN && role != Role.STAFF) {
            throw ApiProblem.forbidden("This needs LRM staff.");
        }
    }

    /**
     * Routes a learner may read for themselves. Another learner's record answers 404, not 403, so
     * that a learner cannot tell which learner ids exist.
     */
    public void requireStaffOrLearner(String learnerId) {
        if (role == Role.LEARNER) {
            if (this.learnerId == null || !this.learnerId.equals(learnerId)) {
                throw ApiProblem.notFound("No learner " + learnerId + ".");
            }
            return;
        }
        requireStaff();
    }
}
