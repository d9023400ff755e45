package org.lrm.xero.testing.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.TemplateResources;

/**
 * Builds a function's role from {@code infra/template.yaml} as SAM does
 * ({@code samtranslator/model/sam_resources.py}, {@code _construct_role}): AWSLambdaBasicExecutionRole,
 * AWSXrayWriteOnlyAccess when tracing is on, AWSLambdaSQSQueueExecutionRole for a function with an
 * SQS event, then each entry of its {@code Policies}: a SAM policy template expanded from SAM's own
 * definitions ({@code sam/policy_templates.json}, copied from SAM with its licence), or inline
 * statements. Every {@code !Ref}, {@code !GetAtt} and {@code !Sub} is resolved against the stack
 * the test kit provisioned, so the ARNs are those the functions will meet.
 */
public final class FunctionPolicies {

    private static final JsonNode SAM_TEMPLATES = resource("/sam/policy_templates.json").get("Templates");
    private static final JsonNode MANAGED = resource("/sam/managed_policies.json");

    private FunctionPolicies() {
    }

    public static RolePolicy of(TemplateResources stack, String functionId) {
        List<PolicyStatement> statements = new ArrayList<>();
        managed(stack, functionId).forEach(name -> statements.addAll(
                statements(stack, name + " (added by SAM)", false, Json.MAPPER.convertValue(MANAGED.get(name), Map.class))));
        Object policies = stack.functionProperty(functionId, "Policies");
        List<?> entries = policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies);
        for (int i = 0; i < entries.size(); i++) {
            String origin = "Policies[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry) || entry.size() != 1) {
                throw new IllegalArgumentException(functionId + " " + origin + ": only SAM policy templates and inline "
                        + "statements are read here, not " + entries.get(i));
            }
            String name = (String) entry.keySet().iterator().next();
            if (name.equals("Statement")) {
                statements.addAll(statements(stack, origin, true, cast(entry)));
            } else {
                statements.addAll(statements(stack, origin + " " + name, true, samTemplate(name, cast(entry.get(name)))));
            }
        }
        return new RolePolicy(functionId, statements);
    }

    /** The managed policies SAM attaches to the role it creates for {@code functionId}. */
    private static List<String> managed(TemplateResources stack, String functionId) {
        List<String> names = new ArrayList<>(List.of("AWSLambdaBasicExecutionRole"));
        Object tracing = stack.functionProperty(functionId, "Tracing");
        if (tracing != null && !"Disabled".equals(stack.evaluate(tracing))) {
            names.add("AWSXrayWriteOnlyAccess");
        }
        Object events = stack.functionProperty(functionId, "Events");
        if (events instanceof Map<?, ?> all && all.values().stream().anyMatch(e -> e instanceof Map<?, ?> m && "SQS".equals(m.get("Type")))) {
            names.add("AWSLambdaSQSQueueExecutionRole");
        }
        return names;
    }

    /**
     * A SAM policy template with its parameters in place, as SAM's PolicyTemplatesProcessor does:
     * each {@code {"Ref": parameter}} of the definition becomes the value the template gives it.
     */
    private static Map<String, Object> samTemplate(String name, Map<String, Object> parameters) {
        JsonNode template = SAM_TEMPLATES.get(name);
        if (template == null) {
            throw new IllegalArgumentException("SAM policy template " + name + " is not in sam/policy_templates.json: "
                    + "copy its definition from SAM");
        }
        for (String required : iterable(template.get("Parameters").fieldNames())) {
            if (!parameters.containsKey(required)) {
                throw new IllegalArgumentException(name + " needs the parameter " + required);
            }
        }
        return cast(substitute(Json.MAPPER.convertValue(template.get("Definition"), Object.class), parameters));
    }

    private static Object substitute(Object value, Map<String, Object> parameters) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Ref") instanceof String ref && parameters.containsKey(ref)) {
                return parameters.get(ref);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, substitute(v, parameters)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> substitute(v, parameters)).toList();
        }
        return value;
    }

    private static List<PolicyStatement> statements(TemplateResources stack, String origin, boolean declared,
            Map<String, Object> policy) {
        Object raw = policy.get("Statement");
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        List<PolicyStatement> statements = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> s = cast(list.get(i));
            if (s.containsKey("Condition")) {
                throw new UnsupportedOperationException(origin + " has a Condition, which these checks do not evaluate");
            }
            String sid = s.get("Sid") == null ? "" : " " + s.get("Sid");
            String where = list.size() == 1 && !declared ? origin : origin + " Statement[" + i + "]" + sid;
            statements.add(new PolicyStatement(where, declared, "Allow".equals(s.get("Effect")),
                    values(stack, s.get("Action")), values(stack, s.get("NotAction")),
                    values(stack, s.get("Resource")), values(stack, s.get("NotResource"))));
        }
        return statements;
    }

    private static List<String> values(TemplateResources stack, Object value) {
        if (value == null) {
            return List.of();
        }
        List<?> list = value instanceof List<?> l ? l : List.of(value);
        return list.stream().map(stack::evaluate).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }

    private static JsonNode resource(String path) {
        try (InputStream in = FunctionPolicies.class.getResourceAsStream(path)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
