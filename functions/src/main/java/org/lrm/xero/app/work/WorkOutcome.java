package org.lrm.xero.app.work;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;
import org.lrm.xero.app.connection.TokenRefreshFailed;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.XeroCallFailed;

/** What became of one message. */
public sealed interface WorkOutcome {

    /** How long work waits for an organisation to reconnect before looking again. */
    Duration RECONNECT_WAIT = Duration.ofMinutes(15);

    /**
     * How long work waits for its organisation to connect before it is dropped (with a logbook entry
     * for each learner it named): the learners stay PENDING, and a bulk sync, a re-sync of learners or
     * a Manual Sync after connecting sends them.
     */
    Duration PARKED_AT_MOST = Duration.ofDays(7);

    /** The reason of a {@link Defer} for an organisation that is not connected. */
    String CONNECTION = "connection";

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

    /**
     * Xero did not answer (5xx, a timeout, the token endpoint down): the work waits with exponential back-off
     * ({@link OutageBackoff}), carried in the message, and is dead-lettered with {@code reason} only once Xero
     * has failed it for {@link OutageBackoff#giveUpAfter()}. Never spends a receive.
     */
    record XeroFailing(String reason) implements WorkOutcome {
        public XeroFailing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Failed for a passing reason; delivered again, dead-lettered once its receives are used up. */
    record Retry(String reason) implements WorkOutcome {
    }

    /** Can never succeed as it is; dead-lettered at once with {@code reason}. */
    record Fail(String reason) implements WorkOutcome {
    }

    /**
     * Part of the message's work is done; the rest goes on as a message of its own with {@code rest} as its
     * payload, and {@code then} (what stopped the work: a {@link Defer}, {@link XeroFailing}, {@link Retry} or
     * {@link Fail}; {@link Done} when the work only gave up its turn) becomes of that rest. A message of many items
     * (a re-sync's PDFs) need not be done whole or wait whole: what was done is not done again.
     */
    record Partly(JsonNode rest, WorkOutcome then) implements WorkOutcome {
        public Partly {
            Objects.requireNonNull(rest, "rest");
            Objects.requireNonNull(then, "then");
            if (then instanceof Partly) {
                throw new IllegalArgumentException("the rest's outcome cannot itself be partly done");
            }
        }
    }

    /** The outcome an exception from a processor stands for. */
    static WorkOutcome of(RuntimeException e) {
        if (e instanceof WaitForBudget wait) {
            return new Defer(wait.duration(), wait.reason().code());
        }
        if (e instanceof ConnectionUnavailable) {
            return new Defer(RECONNECT_WAIT, CONNECTION);
        }
        if (e instanceof ScopeMissing) {
            return new Defer(RECONNECT_WAIT, "scope");
        }
        if (e instanceof XeroCallFailed failed) {
            return failed.permanent() ? new Fail(failed.getMessage()) : new XeroFailing(failed.getMessage());
        }
        if (e instanceof TokenRefreshFailed refresh) {
            return new XeroFailing(refresh.getMessage());
        }
        return new Retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
