package org.lrm.xero.architecture.planted.support;

import java.util.Map;

/** Planted: the environment, as the roots read it. */
public final class Environment {

    private Environment() {
    }

    public static Map<String, String> current() {
        return Map.of("TABLE_NAME", "planted");
    }
}
