package org.lrm.xero.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lrm.xero.testing.TemplateResources;

/**
 * What {@code infra/template.yaml} says about each function's triggers: its HTTP API routes (and
 * whether the JWT authorizer guards them), its SQS event sources and its schedules. The local run
 * wires exactly these, so it serves what AWS serves.
 */
final class TemplateFunctions {

    /** {@code routeKey} as API Gateway writes it, e.g. {@code "GET /v1/learners/{learnerId}/xero"}. */
    record Route(String functionId, String routeKey, boolean jwt) {
    }

    record SqsSource(String functionId, String eventName, String queueArn, int batchSize, int batchingWindowSeconds,
            boolean reportsBatchItemFailures, int maximumConcurrency) {

        String queueName() {
            return queueArn.substring(queueArn.lastIndexOf(':') + 1);
        }
    }

    record Schedule(String functionId, String eventName, String expression) {
    }

    private final TemplateResources stack;

    TemplateFunctions(TemplateResources stack) {
        this.stack = stack;
    }

    /** The class Lambda instantiates for a function ({@code Handler} without its {@code ::method}). */
    String handlerClass(String functionId) {
        String handler = stack.evaluate(properties(functionId).get("Handler"));
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }

    List<Route> routes() {
        return stack.httpRoutes().stream().map(r -> new Route(r.functionId(), r.routeKey(), r.jwt())).toList();
    }

    List<SqsSource> sqsSources() {
        List<SqsSource> sources = new ArrayList<>();
        forEachEvent("SQS", (functionId, name, p) -> sources.add(new SqsSource(functionId, name,
                stack.evaluate(p.get("Queue")),
                intOr(p.get("BatchSize"), 10),
                intOr(p.get("MaximumBatchingWindowInSeconds"), 0),
                p.get("FunctionResponseTypes") instanceof List<?> types && types.contains("ReportBatchItemFailures"),
                intOr(map(p.get("ScalingConfig")).get("MaximumConcurrency"), 5))));
        return sources;
    }

    List<Schedule> schedules() {
        List<Schedule> schedules = new ArrayList<>();
        forEachEvent("Schedule", (functionId, name, p) -> schedules.add(
                new Schedule(functionId, name, stack.evaluate(p.get("Schedule")))));
        return schedules;
    }

    private interface EventVisitor {
        void visit(String functionId, String eventName, Map<String, Object> properties);
    }

    private void forEachEvent(String type, EventVisitor visitor) {
        for (String functionId : stack.functionIds()) {
            map(properties(functionId).get("Events")).forEach((name, event) -> {
                if (type.equals(map(event).get("Type"))) {
                    visitor.visit(functionId, name, map(map(event).get("Properties")));
                }
            });
        }
    }

    private Map<String, Object> properties(String functionId) {
        return map(stack.resource(functionId).get("Properties"));
    }

    private int intOr(Object value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(stack.evaluate(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
