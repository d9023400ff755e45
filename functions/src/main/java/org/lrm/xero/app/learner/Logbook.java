package org.lrm.xero.app.learner;

import java.util.List;

/** The learner's logbook: appended by every action, read newest first. */
public interface Logbook {

    /** An entry logged at most once per learner and {@code onceKey}. */
    record Once(String learnerId, String onceKey, LogEntry entry) {
    }

    /** An entry for a learner's logbook. */
    record Entry(String learnerId, LogEntry entry) {
    }

    /** Appends every entry; takes many at once (a Xero call syncs up to 50 learners). */
    void append(String orgId, List<Entry> entries);

    default void append(String orgId, String learnerId, LogEntry entry) {
        append(orgId, List.of(new Entry(learnerId, entry)));
    }

    /**
     * Appends each entry unless one with the same {@code onceKey} was appended to its learner before:
     * events that arrive more than once (webhooks, polls, retries, a re-sync of what a webhook
     * brought) are logged once. Takes many at once: a re-sync page logs thousands.
     */
    void appendOnce(String orgId, List<Once> entries);

    default void appendOnce(String orgId, String learnerId, String onceKey, LogEntry entry) {
        appendOnce(orgId, List.of(new Once(learnerId, onceKey, entry)));
    }

    List<LogEntry> newestFirst(String orgId, String learnerId, int limit);
}
