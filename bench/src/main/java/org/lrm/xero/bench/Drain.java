package org.lrm.xero.bench;

import java.time.Duration;
import java.time.Instant;
import org.lrm.xero.testing.WorkerRig;

/**
 * Runs a worker rig until its queue is empty, moving both clocks a minute on whenever the work left
 * waits for Xero's budget (so an hour of Xero's limits takes seconds), and keeps how long the
 * workers were busy in real time: that is what the per-instance throughput is measured on.
 */
final class Drain {

    /** One minute and a second: each step lets Xero's rolling minute free up again. */
    static final Duration STEP = Duration.ofSeconds(61);

    record Outcome(long busyNanos, int passes, int received, long advancedSeconds) {
        double busySeconds() {
            return busyNanos / 1e9;
        }
    }

    private Drain() {
    }

    static Outcome run(WorkerRig workers, String queueUrl, Duration realDeadline) throws Exception {
        Instant deadline = Instant.now().plus(realDeadline);
        long busy = 0;
        int passes = 0;
        int received = 0;
        long advanced = 0;
        while (true) {
            long t0 = System.nanoTime();
            WorkerRig.Pass pass = workers.pass();
            busy += System.nanoTime() - t0;
            passes++;
            received += pass.received();
            if (workers.inQueue(queueUrl) == 0) {
                return new Outcome(busy, passes, received, advanced);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("queue not drained within " + realDeadline + " of real time");
            }
            workers.advance(STEP);
            advanced += STEP.toSeconds();
        }
    }
}
