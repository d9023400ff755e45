package org.lrm.xero.testing.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One statement of a function's role, its values resolved against the provisioned stack, with
 * IAM's matching: {@code *} and {@code ?} wildcards, actions case-insensitively, resources as
 * written. A statement with a {@code Condition} is refused rather than guessed at: nothing in the
 * template needs one, and one that was evaluated wrongly would make every check after it a lie.
 *
 * @param origin where the template grants it, e.g. {@code Policies[3] Statement[1] TenantTokenSecrets}
 *     or {@code AWSLambdaSQSQueueExecutionRole (added by SAM)}
 * @param declared whether the template declares it (its {@code Policies}); false for the managed
 *     policies SAM attaches by itself, which the template cannot trim
 */
public record PolicyStatement(String origin, boolean declared, boolean allow, List<String> actions,
        List<String> notActions, List<String> resources, List<String> notResources) {

    public PolicyStatement {
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        resources = List.copyOf(resources);
        notResources = List.copyOf(notResources);
        if (actions.isEmpty() == notActions.isEmpty() || resources.isEmpty() == notResources.isEmpty()) {
            throw new IllegalArgumentException(origin + ": a statement has Action or NotAction, and Resource or NotResource");
        }
    }

    /** Whether this statement speaks about {@code action} on {@code resource} (its effect then decides). */
    public boolean covers(String action, String resource) {
        boolean action_ = actions.isEmpty() ? notActions.stream().noneMatch(p -> matches(p, action, true))
                : actions.stream().anyMatch(p -> matches(p, action, true));
        boolean resource_ = resources.isEmpty() ? notResources.stream().noneMatch(p -> matches(p, resource, false))
                : resources.stream().anyMatch(p -> matches(p, resource, false));
        return action_ && resource_;
    }

    /**
     * The grants this statement makes, one per action and resource it names, each with a key that
     * stays the same from one provisioned stack to the next (secret ARNs, for one, do not).
     */
    public List<Grant> grants(String functionId) {
        List<Grant> grants = new java.util.ArrayList<>();
        List<String> a = actions.isEmpty() ? List.of("NotAction" + notActions) : actions;
        List<String> r = resources.isEmpty() ? List.of("NotResource" + notResources) : resources;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < r.size(); j++) {
                grants.add(new Grant(functionId + " " + origin + " Action[" + i + "] Resource[" + j + "]", functionId, origin,
                        a.get(i), r.get(j)));
            }
        }
        return grants;
    }

    /** The grants of this statement that {@code action} on {@code resource} uses. */
    List<Grant> grantsUsedBy(String functionId, String action, String resource) {
        return grants(functionId).stream().filter(g -> (actions.isEmpty() || matches(g.action(), action, true))
                && (resources.isEmpty() || matches(g.resource(), resource, false))).toList();
    }

    /** As IAM writes it in a policy document. */
    Map<String, Object> document() {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", allow ? "Allow" : "Deny");
        statement.put(actions.isEmpty() ? "NotAction" : "Action", actions.isEmpty() ? notActions : actions);
        statement.put(resources.isEmpty() ? "NotResource" : "Resource", resources.isEmpty() ? notResources : resources);
        return statement;
    }

    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** IAM's wildcard match: {@code *} any run of characters, {@code ?} any one. */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        return PATTERNS.computeIfAbsent((ignoreCase ? "i:" : "c:") + pattern, k -> {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
        }).matcher(value).matches();
    }

    /**
     * One action on one resource that a statement grants.
     *
     * @param key stable across provisioned stacks: the function, the statement's origin and the indexes
     */
    public record Grant(String key, String functionId, String origin, String action, String resource) {
    }
}
