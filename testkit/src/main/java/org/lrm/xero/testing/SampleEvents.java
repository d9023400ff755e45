package org.lrm.xero.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample events in events/ and the function each is for, as events/README.md lists them (the first per function). */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** Function logical id to its first sample event's file. */
    public static Map<String, Path> firstPerFunction(Path repo) throws IOException {
        Map<String, Path> events = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([\\w-]+\\.json)` \\| `(\\w+Function)`").matcher(
                Files.readString(repo.resolve("events/README.md")));
        while (row.find()) {
            events.putIfAbsent(row.group(2), repo.resolve("events").resolve(row.group(1)));
        }
        return events;
    }
}
