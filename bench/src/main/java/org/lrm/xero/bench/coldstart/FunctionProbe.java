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
 * and sends it. Prints {@code ANSWER <status> <gc nanos> <heap bytes after init>}; the parent times
 * the process from its start to that line and takes the GC it asked for back off.
 */
public final class FunctionProbe {

    private FunctionProbe() {
    }

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long gc0 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long gcNanos = System.nanoTime() - gc0;
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        String status;
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, null);
            status = "stream:" + out.size() + "B";
        } else {
            status = answer(invoke((RequestHandler<?, ?>) handler, event));
        }
        System.out.println("ANSWER " + status + " " + gcNanos + " " + heap);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object invoke(RequestHandler handler, byte[] event) throws Exception {
        Class<?> input = null;
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()) {
                input = m.getParameterTypes()[0];
            }
        }
        ObjectMapper json = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
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
