package org.lrm.xero.app.learner;

import java.util.List;

/** The learner's logbook: appended by every action, read newest first. */
public interface Logbook {

    void append(String orgId, String learnerId, LogEntry entry);

    List<LogEntry> newestFirst(String orgId, String learnerId, int limit);
}
