package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.lrm.xero.support.Priming;

/**
 * A function's entry point. Lambda hands it the event's bytes ({@link RequestStreamHandler}: the
 * template names the class alone, and Lambda's Java runtime then prefers the stream interface),
 * which it reads into the typed event with {@link LambdaEvents} and answers in kind. Why not let
 * the runtime map the event: its mapping is cold after a SnapStart restore (about 20 to 35 ms of
 * the first request here), whereas this one is the code the function's priming has already run.
 * Tests and the local run call the typed {@link #handleRequest(Object, Context)} directly.
 */
public abstract class JsonEventHandler<I, O> implements RequestHandler<I, O>, RequestStreamHandler {

    private final Class<I> eventType;
    /** This function's own warm-ups, kept as long as it lives (CRaC holds them weakly). */
    private final List<Priming> primings = new ArrayList<>();

    protected JsonEventHandler(Class<I> eventType) {
        this.eventType = eventType;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaEvents.write(output, handleRequest(LambdaEvents.read(input, eventType), context));
    }

    /**
     * Primes this function with {@code event} as Lambda invokes it: its JSON in through the stream
     * entry, the answer out as JSON, so that the mapping both ways is primed with the code behind it.
     * The event must be one the function answers without storing or sending anything (a read of an
     * organisation that does not exist, a write that validation refuses, an empty batch);
     * {@code answered} says whether the answer shows it was so answered.
     */
    protected final void primeWith(String what, I event, Predicate<JsonNode> answered) {
        primings.add(Priming.register(what, () -> {
            try {
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                handleRequest(new ByteArrayInputStream(LambdaEvents.bytes(event)), answer, null);
                if (!answered.test(LambdaEvents.tree(answer.toByteArray()))) {
                    throw new IllegalStateException(what + " was answered " + answer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /**
     * Primes only the mapping of {@code eventJson} and of an empty answer, for a function that
     * cannot be run for nothing (a schedule's run does real work); the reads its run starts with are
     * primed by the components it reads through.
     */
    protected final void primeMapping(String what, byte[] eventJson) {
        primings.add(Priming.register(what, () -> {
            try {
                LambdaEvents.read(new ByteArrayInputStream(eventJson), eventType);
                LambdaEvents.write(new ByteArrayOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
