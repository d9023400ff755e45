package org.lrm.xero.testing.iam;

import java.util.List;
import java.util.Map;
import org.lrm.xero.support.Json;

/**
 * A function's role as SAM builds it from {@code infra/template.yaml}: the managed policies SAM
 * attaches, then the function's own {@code Policies}, each statement resolved. Decides a call as
 * IAM does for one identity-based policy set: an explicit Deny wins, else an Allow is needed.
 *
 * @param change what a test took out of the template's role, or null: the role as declared
 */
public record RolePolicy(String functionId, List<PolicyStatement> statements, String change) {

    public RolePolicy {
        statements = List.copyOf(statements);
    }

    public RolePolicy(String functionId, List<PolicyStatement> statements) {
        this(functionId, statements, null);
    }

    /** What IAM decides for {@code action} on {@code resource}, and which statements allowed it. */
    public Decision decide(String action, String resource) {
        List<PolicyStatement> allowing = new java.util.ArrayList<>();
        for (PolicyStatement statement : statements) {
            if (statement.covers(action, resource)) {
                if (!statement.allow()) {
                    return new Decision(false, List.of(), statement.origin());
                }
                allowing.add(statement);
            }
        }
        return new Decision(!allowing.isEmpty(), allowing, null);
    }

    /** Every grant the template declares for this function (not those of SAM's managed policies). */
    public List<PolicyStatement.Grant> declaredGrants() {
        return statements.stream().filter(PolicyStatement::declared).flatMap(s -> s.grants(functionId).stream()).toList();
    }

    /** This role without the statements whose origin contains {@code origin} (a test's way of removing one). */
    public RolePolicy without(String origin) {
        List<PolicyStatement> kept = statements.stream().filter(s -> !s.origin().contains(origin)).toList();
        if (kept.size() == statements.size()) {
            throw new IllegalArgumentException(functionId + " has no statement from " + origin);
        }
        return new RolePolicy(functionId, kept, (change == null ? "" : change + ", ") + "without " + origin);
    }

    /** The role's policies as one IAM policy document (SAM writes one per entry; the emulator needs them only together). */
    String document() {
        try {
            return Json.MAPPER.writeValueAsString(Map.of("Version", "2012-10-17",
                    "Statement", statements.stream().map(PolicyStatement::document).toList()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param allowedBy the Allow statements that cover the call (empty when denied)
     * @param deniedBy the origin of an explicit Deny, or null
     */
    public record Decision(boolean allowed, List<PolicyStatement> allowedBy, String deniedBy) {
    }
}
