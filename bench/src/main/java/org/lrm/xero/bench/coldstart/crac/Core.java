package org.lrm.xero.bench.coldstart.crac;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * SnapStart on this machine: a CRaC implementation for the {@code org.crac} facade the functions
 * register their priming with ({@code -Dorg.crac.Core.Compat=org.lrm.xero.bench.coldstart.crac}),
 * with CRIU taking the snapshot. {@link #checkpointRestore()} does what Lambda does when it
 * publishes a version: runs every resource's {@code beforeCheckpoint} (last registered first, as
 * CRaC does), collects garbage so the snapshot holds only live objects, then tells the benchmark
 * it may take the snapshot ({@code CHECKPOINT} on standard output) and waits. The benchmark dumps
 * the process with CRIU, which ends it; each restore of that image resumes here, finds the go file
 * the benchmark created before restoring, and runs every {@code afterRestore} (first registered first).
 */
public final class Core {

    private static final List<Resource> RESOURCES = new ArrayList<>();

    private static final Context<Resource> GLOBAL = new GlobalContext();

    /** The context every resource registers with; CRaC's global context. */
    private static final class GlobalContext extends Context<Resource> {
        @Override
        public void register(Resource resource) {
            synchronized (RESOURCES) {
                RESOURCES.add(resource);
            }
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
            List<Resource> lastFirst = registered();
            Collections.reverse(lastFirst);
            for (Resource r : lastFirst) {
                r.beforeCheckpoint(this);
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws Exception {
            for (Resource r : registered()) {
                r.afterRestore(this);
            }
        }

        /** The resources registered so far, copied: a hook may register more. */
        private static List<Resource> registered() {
            synchronized (RESOURCES) {
                return new ArrayList<>(RESOURCES);
            }
        }
    }

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        try {
            GLOBAL.beforeCheckpoint(null);
        } catch (Exception e) {
            CheckpointException failed = new CheckpointException();
            failed.addSuppressed(e);
            throw failed;
        }
        System.gc();
        Path go = Path.of(System.getProperty("bench.snapshot.go"));
        System.out.println("CHECKPOINT " + ProcessHandle.current().pid());
        System.out.flush();
        // The snapshot is taken while this loop waits; a restored process sees the go file at once.
        while (!Files.exists(go)) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        System.out.println("RESTORED " + org.lrm.xero.bench.coldstart.WallClock.epochNanos());
        try {
            GLOBAL.afterRestore(null);
        } catch (Exception e) {
            RestoreException failed = new RestoreException();
            failed.addSuppressed(e);
            throw failed;
        }
    }
}
