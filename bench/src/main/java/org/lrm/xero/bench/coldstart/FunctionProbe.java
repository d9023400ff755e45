package org.lrm.xero.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh JVM on the deployable jar: instantiates a handler as Lambda does (by name, public no-arg
 * constructor, wired from the environment), turns the sample event into the handler's input type
 * and sends it. Prints {@code ANSWER <status> <gc nanos> <heap bytes after init> <wall clock nanos>}; the
 * parent times the process from its start to that line and takes the GC it asked for back off.
 *
 * <p>With {@code -Dbench.snapshot.go} it is a SnapStart function instead: after init it asks
 * {@code org.crac} for a checkpoint (Lambda's runtime does this when it publishes a version), and
 * the benchmark times a restore of that snapshot until the answer, by the wall clock ({@link WallClock}).
 */
public final class FunctionProbe {

    private FunctionProbe() {
    }

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        // Lambda's runtime has its event mapping ready before the first invoke (and before a snapshot).
        ObjectMapper json = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        long gc0 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long gcNanos = System.nanoTime() - gc0;
        if (System.getProperty("bench.snapshot.go") != null) {
            org.crac.Core.checkpointRestore();
            gcNanos = 0; // restores are timed from the restore: the GC above is in the snapshot
        }
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        String status;
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, null);
            status = "stream:" + out.size() + "B";
        } else {
            status = answer(invoke(json, (RequestHandler<?, ?>) handler, event));
        }
        System.out.println("ANSWER " + status + " " + gcNanos + " " + heap + " " + WallClock.epochNanos());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object invoke(ObjectMapper json, RequestHandler handler, byte[] event) throws Exception {
        Class<?> input = null;
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()) {
                input = m.getParameterTypes()[0];
            }
        }
        ObjectNode tree = (ObjectNode) json.readTree(event);
        if (input == ScheduledEvent.class) {
            tree.remove("time"); // a Joda DateTime in the event class; the Lambda runtime has its own mapping for it
        }
        return handler.handleRequest(json.treeToValue(tree, input), null);
    }

    private static String answer(Object result) {
        if (result instanceof APIGatewayV2HTTPResponse http) {
            return Integer.toString(http.getStatusCode());
        }
        if (result instanceof SQSBatchResponse batch) {
            return "batchItemFailures:" + batch.getBatchItemFailures().size();
        }
        return result == null ? "null" : result.getClass().getSimpleName();
    }
}
