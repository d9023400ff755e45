package org.lrm.xero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's results: one row per measurement, with the naive baseline measured (or computed)
 * in the same run, the target it is held to and whether it met it, plus the raw numbers each
 * scenario wants kept. Written as JSON (for machines) and as a Markdown table (for the README).
 */
final class Report {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Met, missed, or nothing to hold it to; PENDING when the thing measured has not been built yet. */
    enum Verdict { PASS, FAIL, NONE, PENDING }

    record Row(String section, String metric, String value, String baseline, String target, Verdict verdict, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final Map<String, Object> machine;

    Report(Map<String, Object> machine) {
        this.machine = machine;
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.out.printf("  %-58s %-22s baseline %-22s %s%n", row.metric(), row.value(), row.baseline(), row.verdict());
    }

    void row(String section, String metric, String value, String baseline, String target, Verdict verdict, String note) {
        add(new Row(section, metric, value, baseline, target, verdict, note));
    }

    synchronized void raw(String key, Object value) {
        raw.put(key, value);
    }

    static Verdict atMost(double value, double limit) {
        return value <= limit ? Verdict.PASS : Verdict.FAIL;
    }

    /** Writes the JSON, and the Markdown table unless {@code markdown} is null. */
    void write(Path json, Path markdown) throws IOException {
        Files.createDirectories(json.getParent());
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", JSON.valueToTree(machine));
        root.set("rows", JSON.valueToTree(rows));
        root.set("raw", JSON.valueToTree(raw));
        Files.writeString(json, JSON.writeValueAsString(root) + "\n");
        if (markdown != null) {
            Files.writeString(markdown, markdown());
        }
    }

    /** Takes in the rows and raw numbers another JVM of the same run wrote with {@link #write}. */
    synchronized void absorb(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        for (JsonNode row : root.get("rows")) {
            rows.add(JSON.treeToValue(row, Row.class));
        }
        root.get("raw").fields().forEachRemaining(e -> raw.putIfAbsent(e.getKey(), e.getValue()));
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine.get("summary")).append("\n\n");
        md.append("| | measure | this integration | naive baseline | target | |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.section()).append(" | ").append(cell(r.metric())).append(" | ").append(cell(r.value()))
                    .append(" | ").append(cell(r.baseline())).append(" | ").append(cell(r.target())).append(" | ")
                    .append(switch (r.verdict()) {
                        case PASS -> "pass";
                        case FAIL -> "**fail**";
                        case NONE -> "";
                        case PENDING -> "pending";
                    }).append(" |\n");
        }
        md.append("\nNotes:\n\n");
        for (Row r : rows) {
            if (r.note() != null && !r.note().isBlank()) {
                md.append("- ").append(r.metric()).append(": ").append(r.note()).append("\n");
            }
        }
        return md.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|");
    }
}
