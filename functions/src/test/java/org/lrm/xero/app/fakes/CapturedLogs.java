package org.lrm.xero.app.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lrm.xero.support.JsonLog;

/**
 * The JSON log lines written while a test runs, to read by event. The log's sink is one for the
 * whole JVM and test classes run two at a time: a class that captures holds {@link #LOCK}
 * ({@code @ResourceLock(CapturedLogs.LOCK)}), so two never capture, or give the sink back, at once.
 */
public final class CapturedLogs {

    public static final String LOCK = "JsonLog.sink";

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** Captures from now until {@link #stop()}. */
    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        JsonLog.sink(logs.lines::add);
        return logs;
    }

    public void stop() {
        JsonLog.sinkToStdout();
    }

    /** The lines of {@code event}, as written. */
    public List<String> of(String event) {
        return lines.stream().filter(line -> line.contains("\"event\":\"" + event + "\"")).toList();
    }
}
