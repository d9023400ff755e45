package org.lrm.xero.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the numbers were measured on: they mean little without it. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String load = read(Path.of("/proc/loadavg"));
        long memGb = memKb == null ? -1 : Math.round(Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        m.put("nproc", cpus);
        m.put("cpu", cpu);
        m.put("memoryGiB", memGb);
        m.put("java", java);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("loadAverageAtStart", load == null ? null : load.trim());
        m.put("summary", cpus + " cores" + (cpu == null ? "" : " (" + cpu + ")") + ", " + memGb + " GiB, " + java
                + (load == null ? "" : ", load average at start " + String.join(" ", load.trim().split(" ")[0],
                        load.trim().split(" ")[1], load.trim().split(" ")[2])));
        return m;
    }

    private static String firstValue(Path file, String key) {
        String text = read(file);
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
