package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.lrm.xero.adapter.aws.DlqReplay;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Priming;

/**
 * Invoked by operators: {@code {"queue":"learner-sync","orgId":null,"kind":null,"reason":null,"dryRun":true,"max":1000}}
 * answers {@code {"matched":..,"moved":..,"skipped":..}}. A missing dryRun is a dry run.
 */
public final class DlqReplayHandler implements RequestStreamHandler {

    private final DlqReplay replay;
    /** Kept as long as the function lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    /** Lambda's entry: wired from the environment. */
    public DlqReplayHandler() {
        this(DlqReplayRoot.fromEnvironment());
    }

    public DlqReplayHandler(DlqReplayRoot root) {
        this.replay = root.replay();
        // A request naming no queue it knows: read and refused before any queue is touched; then the
        // answer's mapping, which the refused request never reaches.
        this.priming = Priming.register("replay request", () -> {
            try {
                handleRequest(new ByteArrayInputStream("{\"queue\":\"snapstart-priming\",\"dryRun\":true}"
                        .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
                throw new IllegalStateException("the replay took a queue it does not know");
            } catch (IOException | IllegalArgumentException refused) {
                // as intended
            }
            try {
                Json.MAPPER.writeValue(new ByteArrayOutputStream(), new ReplayCounts(0, 0, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ReplayRequest request = Json.STRICT.readValue(input, ReplayRequest.class);
        ReplayCounts counts = replay.replay(request);
        Json.MAPPER.writeValue(output, counts);
    }
}
