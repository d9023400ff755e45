package org.lrm.xero.support;

import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: what a function would otherwise do on its first request, done before the
 * snapshot is taken ({@value #RUNS} times, so that the code is compiled, not only loaded), so that
 * a restore answers with its code ready. Each component that a first request goes through registers
 * its own warm-up when it is built, as powertools' {@code DynamoDBPersistenceStore} does: the
 * connection store (DynamoDB's request path), the token vault (Secrets Manager's), the queues and
 * workers (SQS's, for their queue), the learner store (a learner's JSON), the DLQ replay, and each
 * handler (its own entry, with a request it answers without storing anything). A warm-up has no
 * side effect: it reads what does not exist ({@link #ORG}), writes what a condition or SQS refuses,
 * and reads no secret, so no secret is in a snapshot.
 *
 * <p>Lambda runs these in {@code beforeCheckpoint} when it publishes a version. A warm-up that
 * fails is logged and ignored: it only makes the first request slower. Without SnapStart (or a CRaC
 * JVM) the hooks never run and nothing changes.
 */
public final class Priming implements Resource {

    /** The organisation every warm-up asks about; no LRM organisation has this id. */
    public static final String ORG = "snapstart-priming";

    /** Runs of each warm-up before the snapshot. */
    static final int RUNS = 5;

    private static final JsonLog LOG = JsonLog.forClass(Priming.class);

    /** What tests record while they build functions ({@link #record()}); null when none does. */
    private static volatile List<Priming> recording;

    private final String what;
    private final Runnable warmUp;

    private Priming(String what, Runnable warmUp) {
        this.what = what;
        this.warmUp = warmUp;
    }

    /**
     * Registers {@code warmUp} for the checkpoint. CRaC holds what registers with it weakly: the
     * component keeps the answer for as long as it lives (a field), so the warm-up lives as long as
     * the function does and no longer.
     */
    public static Priming register(String what, Runnable warmUp) {
        Priming priming = new Priming(what, warmUp);
        Core.getGlobalContext().register(priming);
        List<Priming> recorder = recording;
        if (recorder != null) {
            recorder.add(priming);
        }
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            for (int i = 0; i < RUNS; i++) {
                warmUp.run();
            }
            LOG.info("snapstart.primed", "priming", what, "runs", RUNS);
        } catch (RuntimeException e) {
            LOG.warn("snapstart.primingFailed", "priming", what, "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the SDK's HTTP client opens new connections after a restore on its own.
    }

    /**
     * For tests, which have no CRaC runtime: what is registered from now on (by this test's own
     * functions, not by those of tests that ran before in the same JVM), to run as a checkpoint would.
     */
    public static Recording record() {
        Recording r = new Recording();
        recording = r.registered;
        return r;
    }

    /** The warm-ups registered since {@link #record()}; closing it stops recording. */
    public static final class Recording implements AutoCloseable {

        private final List<Priming> registered = java.util.Collections.synchronizedList(new ArrayList<>());

        private Recording() {
        }

        /** What was registered, by what each warms. */
        public List<String> names() {
            synchronized (registered) {
                return registered.stream().map(p -> p.what).toList();
            }
        }

        /**
         * Runs every recorded warm-up as a checkpoint would (last registered first, as CRaC does).
         * @return how many ran
         */
        public int checkpoint() {
            List<Priming> lastFirst;
            synchronized (registered) {
                lastFirst = new ArrayList<>(registered);
            }
            java.util.Collections.reverse(lastFirst);
            lastFirst.forEach(p -> p.beforeCheckpoint(null));
            return lastFirst.size();
        }

        @Override
        public void close() {
            if (recording == registered) {
                recording = null;
            }
        }
    }
}
