package org.lrm.xero.app.work;

import java.time.Duration;
import java.util.Objects;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.XeroCallFailed;

/** What became of one message. */
public sealed interface WorkOutcome {

    /** How long work waits for an organisation to reconnect before looking again. */
    Duration RECONNECT_WAIT = Duration.ofMinutes(15);

    Done DONE = new Done();

    /** Finished; the message is deleted. */
    record Done() implements WorkOutcome {
    }

    /**
     * Cannot run yet (no budget, not connected, a scope it needs not granted); runs again after {@code waitFor}.
     * Never dead-lettered for waiting.
     */
    record Defer(Duration waitFor, String reason) implements WorkOutcome {
        public Defer {
            Objects.requireNonNull(waitFor, "waitFor");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Failed for a passing reason; delivered again, dead-lettered once its receives are used up. */
    record Retry(String reason) implements WorkOutcome {
    }

    /** Can never succeed as it is; dead-lettered at once with {@code reason}. */
    record Fail(String reason) implements WorkOutcome {
    }

    /** The outcome an exception from a processor stands for. */
    static WorkOutcome of(RuntimeException e) {
        if (e instanceof WaitForBudget wait) {
            return new Defer(wait.duration(), wait.reason().code());
        }
        if (e instanceof ConnectionUnavailable) {
            return new Defer(RECONNECT_WAIT, "connection");
        }
        if (e instanceof ScopeMissing) {
            return new Defer(RECONNECT_WAIT, "scope");
        }
        if (e instanceof XeroCallFailed failed && failed.permanent()) {
            return new Fail(failed.getMessage());
        }
        return new Retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
