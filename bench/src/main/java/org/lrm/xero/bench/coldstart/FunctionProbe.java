package org.lrm.xero.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh JVM on the deployable jar: instantiates a handler as Lambda does (by name, public no-arg
 * constructor, wired from the environment) and invokes it as Lambda's Java runtime does with a
 * handler named by its class: the sample event's bytes in, the answer's bytes out
 * ({@code RequestStreamHandler}). Prints {@code ANSWER <status> <gc nanos> <heap bytes after init> <wall clock nanos>};
 * the parent times the process from its start to that line and takes the GC it asked for back off.
 *
 * <p>With {@code -Dbench.snapshot.go} it is a SnapStart function instead: after init it asks
 * {@code org.crac} for a checkpoint (Lambda's runtime does this when it publishes a version), and
 * the benchmark times a restore of that snapshot until the answer, by the wall clock ({@link WallClock}).
 */
public final class FunctionProbe {

    private FunctionProbe() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long gc0 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long gcNanos = System.nanoTime() - gc0;
        if (System.getProperty("bench.snapshot.go") != null) {
            org.crac.Core.checkpointRestore();
            gcNanos = 0; // restores are timed from the restore: the GC above is in the snapshot
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))), out, null);
        long answeredAt = WallClock.epochNanos();
        System.out.println("ANSWER " + status(out.toByteArray()) + " " + gcNanos + " " + heap + " " + answeredAt);
    }

    /** What the answer says, in a word: an HTTP status, a batch's failures, or its size. Read after the clock is read. */
    private static String status(byte[] answer) throws Exception {
        JsonNode json = answer.length == 0 ? null : new ObjectMapper().readTree(answer);
        if (json != null && json.has("statusCode")) {
            return json.get("statusCode").asText();
        }
        if (json != null && json.has("batchItemFailures")) {
            return "batchItemFailures:" + json.get("batchItemFailures").size();
        }
        return json == null || json.isNull() ? "null" : "stream:" + answer.length + "B";
    }
}
