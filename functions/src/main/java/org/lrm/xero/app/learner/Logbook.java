package org.lrm.xero.app.learner;

import java.util.List;

/** The learner's logbook: appended by every action, read newest first. */
public interface Logbook {

    void append(String orgId, String learnerId, LogEntry entry);

    /**
     * Appends the entry unless one with the same {@code onceKey} was appended to this learner before:
     * events that arrive more than once (webhooks, polls, retries) are logged once.
     */
    void appendOnce(String orgId, String learnerId, String onceKey, LogEntry entry);

    List<LogEntry> newestFirst(String orgId, String learnerId, int limit);
}
