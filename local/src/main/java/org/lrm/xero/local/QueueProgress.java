package org.lrm.xero.local;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Long work made visible: every few seconds while any queue holds messages, one line of queue depths. */
final class QueueProgress implements AutoCloseable {

    private static final long EVERY_SECONDS = 5;

    private final LocalRun run;
    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queue-progress");
        t.setDaemon(true);
        return t;
    });
    private boolean busy;

    QueueProgress(LocalRun run, PrintStream out) {
        this.run = run;
        this.out = out;
        timer.scheduleWithFixedDelay(this::report, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    private void report() {
        try {
            Map<String, Integer> depths = run.queueDepths();
            boolean anything = depths.values().stream().anyMatch(n -> n > 0);
            if (anything) {
                out.println("[queues] " + depths.entrySet().stream().filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            } else if (busy) {
                out.println("[queues] all empty");
            }
            busy = anything;
        } catch (RuntimeException stoppedMeanwhile) {
            // The emulator went away while stopping: nothing left to report.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
