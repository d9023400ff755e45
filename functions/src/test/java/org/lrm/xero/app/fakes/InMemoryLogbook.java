package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;

/** {@link Logbook} in memory: an entry appended once per learner and once-key, as DynamoLogbook keys it. */
public final class InMemoryLogbook implements Logbook {

    private final Map<String, List<LogEntry>> entries = new HashMap<>();
    private final Set<String> onceKeys = new HashSet<>();

    @Override
    public void append(String orgId, List<Entry> batch) {
        batch.forEach(e -> of(orgId, e.learnerId()).add(e.entry()));
    }

    @Override
    public void appendOnce(String orgId, List<Once> batch) {
        for (Once once : batch) {
            if (onceKeys.add(orgId + "/" + once.learnerId() + "/" + once.onceKey())) {
                of(orgId, once.learnerId()).add(once.entry());
            }
        }
    }

    @Override
    public List<LogEntry> newestFirst(String orgId, String learnerId, int limit) {
        List<LogEntry> all = new ArrayList<>(of(orgId, learnerId));
        List<LogEntry> newest = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            newest.add(all.get(i));
        }
        return newest.stream().sorted(Comparator.comparing(LogEntry::at).reversed()).limit(limit).toList();
    }

    /** The learner's entries, oldest first. */
    public List<LogEntry> of(String orgId, String learnerId) {
        return entries.computeIfAbsent(orgId + "/" + learnerId, k -> new ArrayList<>());
    }

    /** The kinds of the learner's entries, oldest first. */
    public List<String> kinds(String orgId, String learnerId) {
        return of(orgId, learnerId).stream().map(LogEntry::kind).toList();
    }
}
