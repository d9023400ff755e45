package org.lrm.xero.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch metrics as embedded metric format (EMF): one JSON line on standard output per
 * measurement, which CloudWatch Logs turns into metrics of namespace {@value #NAMESPACE}
 * without any API call from the Lambda.
 *
 * <pre>Metrics.emit(Map.of("TenantId", tenant), Metrics.count("XeroCallCount", 1));</pre>
 */
public final class Metrics {

    public static final String NAMESPACE = "LrmXeroIntegration";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Consumer<String> sink = System.out::println;

    private Metrics() {
    }

    /** One metric value; {@code unit} is a CloudWatch unit name ({@code Count}, {@code None}, ...). */
    public record Value(String name, double value, String unit) {
    }

    public static Value count(String name, double value) {
        return new Value(name, value, "Count");
    }

    /** Where lines go: standard output in Lambda; tests capture them here. */
    public static void sink(Consumer<String> newSink) {
        sink = newSink;
    }

    public static void sinkToStdout() {
        PrintStream out = System.out;
        sink = out::println;
    }

    /** The values under one dimension set made of every key of {@code dimensions} (e.g. TenantId, Problem). */
    public static void emit(Map<String, String> dimensions, Value... values) {
        ObjectNode line = JSON.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        List.copyOf(new java.util.TreeMap<>(dimensions).keySet()).forEach(dimensionSet::add);
        ArrayNode metrics = directive.putArray("Metrics");
        for (Value value : values) {
            metrics.addObject().put("Name", value.name()).put("Unit", value.unit());
        }
        dimensions.forEach(line::put);
        for (Value value : values) {
            line.put(value.name(), value.value());
        }
        sink.accept(line.toString());
    }
}
