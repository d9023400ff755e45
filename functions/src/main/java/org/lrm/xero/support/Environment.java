package org.lrm.xero.support;

import java.util.Map;

/**
 * The environment a function's composition root reads ({@code handler.Settings}, once per cold
 * start): the process's own in Lambda; the local run sets a function's template variables here
 * while it builds that function, so the same handler classes run on a developer's machine without
 * a JVM per function (a JVM cannot change its own environment variables).
 */
public final class Environment {

    private static volatile Map<String, String> override;

    private Environment() {
    }

    public static Map<String, String> current() {
        Map<String, String> o = override;
        return o != null ? o : System.getenv();
    }

    /**
     * For the local run and tests that build handlers as Lambda does, each under its own
     * variables; {@code null} makes it the process's own again.
     */
    public static void override(Map<String, String> variables) {
        override = variables == null ? null : Map.copyOf(variables);
    }
}
