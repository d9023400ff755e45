package org.lrm.xero.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Structured logs: one JSON object per line, per event, carrying the organisation, tenant and
 * learner ids it concerns. Keys that name credentials are refused outright, so a token cannot
 * reach the logs by a careless call.
 *
 * <pre>LOG.info("learner.synced", "orgId", org, "tenantId", tenant, "learnerId", id, "contactId", c);</pre>
 */
public final class JsonLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FORBIDDEN_KEY_PARTS = Set.of("token", "secret", "password", "authorization", "verifier", "webhookkey");
    private static volatile Consumer<String> sink = System.out::println;

    private final String logger;

    private JsonLog(String logger) {
        this.logger = logger;
    }

    public static JsonLog forClass(Class<?> type) {
        return new JsonLog(type.getSimpleName());
    }

    /** Where lines go: standard output in Lambda (CloudWatch Logs); tests capture them here. */
    public static void sink(Consumer<String> newSink) {
        sink = newSink;
    }

    public static void sinkToStdout() {
        PrintStream out = System.out;
        sink = out::println;
    }

    public void info(String event, Object... keyValues) {
        write("INFO", event, null, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write("WARN", event, null, keyValues);
    }

    public void error(String event, Throwable error, Object... keyValues) {
        write("ERROR", event, error, keyValues);
    }

    private void write(String level, String event, Throwable error, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in key, value pairs");
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("ts", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("event", event);
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            String lower = key.toLowerCase(Locale.ROOT);
            if (FORBIDDEN_KEY_PARTS.stream().anyMatch(lower::contains)) {
                throw new IllegalArgumentException("refusing to log a credential-like field: " + key);
            }
            Object value = keyValues[i + 1];
            if (value != null) {
                line.set(key, JSON.valueToTree(value instanceof Enum<?> e ? e.name() : value));
            }
        }
        if (error != null) {
            line.put("error", error.getClass().getSimpleName());
            // The message only: stack traces and causes may quote request bodies.
            line.put("errorMessage", String.valueOf(error.getMessage()));
        }
        sink.accept(line.toString());
    }
}
