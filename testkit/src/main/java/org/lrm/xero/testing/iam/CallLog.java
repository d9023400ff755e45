package org.lrm.xero.testing.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every AWS call the functions made in this JVM, as their roles saw it: what each used of the
 * template's grants (for the least-privilege test, which reads it after every other test class
 * ran), what was refused, and the calls' bodies for whoever listens while a flow runs (the secrets
 * test). The emulator is reset between test classes; this record is not.
 */
public final class CallLog {

    /** What one function's calls added up to for one grant. */
    public record Use(long calls, List<String> resources) {
    }

    /** A call's request as it went over the wire, for a listener. */
    public record Traffic(String functionId, String service, String operation, String body) {
    }

    /**
     * A call refused as AWS would refuse it.
     *
     * @param roleChange what a test took out of the function's role (null: refused by the role as declared)
     */
    public record Refusal(String functionId, String action, String resource, String roleChange) {
    }

    private static final Map<String, Map<String, Long>> USED = new TreeMap<>();
    private static final Map<String, Map<String, List<String>>> SAMPLES = new TreeMap<>();
    private static final Map<String, Map<String, Long>> ACTIONS = new TreeMap<>();
    private static final List<Refusal> REFUSALS = new CopyOnWriteArrayList<>();
    private static final List<Consumer<Traffic>> LISTENERS = new CopyOnWriteArrayList<>();

    private CallLog() {
    }

    static synchronized void allowed(String functionId, String action, String resource, List<PolicyStatement.Grant> used) {
        ACTIONS.computeIfAbsent(functionId, k -> new TreeMap<>()).merge(action + " " + generic(resource), 1L, Long::sum);
        for (PolicyStatement.Grant grant : used) {
            USED.computeIfAbsent(functionId, k -> new TreeMap<>()).merge(grant.key(), 1L, Long::sum);
            List<String> samples = SAMPLES.computeIfAbsent(functionId, k -> new TreeMap<>())
                    .computeIfAbsent(grant.key(), k -> new ArrayList<>());
            if (samples.size() < 3 && !samples.contains(resource)) {
                samples.add(resource);
            }
        }
    }

    static void refused(String functionId, String action, String resource, String roleChange) {
        REFUSALS.add(new Refusal(functionId, action, resource, roleChange));
    }

    static void sent(Traffic traffic) {
        LISTENERS.forEach(l -> l.accept(traffic));
    }

    /** How often each grant of the function was used, by {@link PolicyStatement.Grant#key()}. */
    public static synchronized Map<String, Use> uses(String functionId) {
        Map<String, Use> uses = new LinkedHashMap<>();
        USED.getOrDefault(functionId, Map.of()).forEach((key, count) -> uses.put(key,
                new Use(count, List.copyOf(SAMPLES.get(functionId).get(key)))));
        return uses;
    }

    /** Each action and resource the function used, with its count (token secrets and S3 keys generalised). */
    public static synchronized Map<String, Long> actions(String functionId) {
        return new TreeMap<>(ACTIONS.getOrDefault(functionId, Map.of()));
    }

    /** The functions that made an allowed call. */
    public static synchronized List<String> functions() {
        return List.copyOf(ACTIONS.keySet());
    }

    public static List<Refusal> refusals() {
        return List.copyOf(REFUSALS);
    }

    /** Hears every function call's request body from now on; remove it with {@link #stopListening}. */
    public static void listen(Consumer<Traffic> listener) {
        LISTENERS.add(listener);
    }

    public static void stopListening(Consumer<Traffic> listener) {
        LISTENERS.remove(listener);
    }

    static boolean listening() {
        return !LISTENERS.isEmpty();
    }

    /**
     * A resource as a list of what was used shows it: one line per token secret or PDF would say
     * nothing more, nor would each stack's random suffix of a secret's ARN.
     */
    private static String generic(String resource) {
        return resource.replaceFirst(":secret:(.*/tokens/).*", ":secret:$1*").replaceFirst("(:secret:[^*]+)-[A-Za-z0-9]{6}$", "$1-*")
                .replaceFirst("^(arn:aws:s3:::[^/]+/).*", "$1*");
    }
}
