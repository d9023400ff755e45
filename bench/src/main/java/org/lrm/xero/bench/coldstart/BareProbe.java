package org.lrm.xero.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lrm.xero.bench.coldstart.crac.Core;

/**
 * A fresh JVM with only aws-lambda-java-core: instantiates {@link BareHandler} as Lambda does
 * (by name, no-arg constructor) and hands it the sample event. Prints what {@link FunctionProbe}
 * prints, and like it becomes a snapshot with {@code -Dbench.snapshot.go} (the bare handler has no
 * org.crac, so it asks this benchmark's CRaC implementation directly).
 */
public final class BareProbe {

    private BareProbe() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(BareHandler.class.getName())
                .getDeclaredConstructor().newInstance();
        long gc0 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long gcNanos = System.nanoTime() - gc0;
        if (System.getProperty("bench.snapshot.go") != null) {
            Core.checkpointRestore();
            gcNanos = 0;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[0]))), out, null);
        System.out.println("ANSWER 200 " + gcNanos + " " + heap + " " + WallClock.epochNanos());
    }

}
