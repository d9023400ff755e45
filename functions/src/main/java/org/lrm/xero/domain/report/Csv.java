package org.lrm.xero.domain.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * CSV as RFC 4180 writes it, safe to open in a spreadsheet: a cell starting with {@code =},
 * {@code +}, {@code -} or {@code @} (or a tab or carriage return) is prefixed with an apostrophe so
 * that Excel and Sheets show it as text instead of running it as a formula (CSV injection).
 */
public final class Csv {

    private Csv() {
    }

    public static String row(List<String> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = value;
        if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            safe = "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
