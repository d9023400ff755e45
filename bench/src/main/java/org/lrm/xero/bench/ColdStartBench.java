package org.lrm.xero.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lrm.xero.bench.coldstart.BareHandler;
import org.lrm.xero.bench.coldstart.BareProbe;
import org.lrm.xero.bench.coldstart.FunctionProbe;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;

/**
 * Cold starts: for each function of the template, a fresh JVM on the deployable (shaded) jar until
 * the handler's first answer to its sample event, with the environment pointed at moto and the
 * sandbox so the answer is real; against a bare handler with only aws-lambda-java-core on the same
 * JVM and flags. Each is run several times and the median kept.
 */
final class ColdStartBench {

    /** What Lambda's Java runtime starts its JVM with (tiered compilation stops at C1) plus a small serial heap. */
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xmx512m");

    record Function(String logicalId, String handlerClass, String eventFile) {
    }

    record Start(double millis, long heapBytes, String answer) {
    }

    record Measured(Function function, boolean inJar, List<Start> starts) {
        double medianMillis() {
            return median(starts.stream().mapToDouble(Start::millis).toArray());
        }

        long medianHeap() {
            return (long) median(starts.stream().mapToDouble(Start::heapBytes).toArray());
        }
    }

    private final Path repo;
    private final IntegrationRig rig;
    private final int runs;

    ColdStartBench(Path repo, IntegrationRig rig, int runs) {
        this.repo = repo;
        this.rig = rig;
        this.runs = runs;
    }

    static Path deployableJar(Path repo) throws IOException {
        try (Stream<Path> files = Files.list(repo.resolve("functions/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("functions-.*\\.jar")
                    && !p.getFileName().toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no functions/target/functions-*.jar: build it first"));
        }
    }

    /** The template's functions with their handler class, and the first sample event events/README.md names for each. */
    List<Function> functions() throws IOException {
        Pattern resource = Pattern.compile("^  (\\w+):\\s*$");
        Pattern handlerLine = Pattern.compile("^\\s+Handler:\\s*([\\w.]+)::");
        Map<String, String> handlers = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(repo.resolve("infra/template.yaml"))) {
            Matcher r = resource.matcher(line);
            Matcher h = handlerLine.matcher(line);
            if (r.matches()) {
                current = r.group(1);
            } else if (h.find() && current != null) {
                handlers.put(current, h.group(1));
            }
        }
        Map<String, String> events = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([\\w-]+\\.json)` \\| `(\\w+Function)`").matcher(
                Files.readString(repo.resolve("events/README.md")));
        while (row.find()) {
            events.putIfAbsent(row.group(2), row.group(1));
        }
        List<Function> out = new ArrayList<>();
        handlers.forEach((id, type) -> out.add(new Function(id, type, events.get(id))));
        return out;
    }

    Start bare(Path lambdaCore, Path event) throws Exception {
        Path dir = classesOnly(repo.resolve("bench/target/bare"), BareHandler.class, BareProbe.class);
        return start(List.of(lambdaCore.toString(), dir.toString()), BareProbe.class.getName(), List.of(event.toString()), Map.of());
    }

    /** The bare handler's median start and each function's starts. */
    record Results(Start bare, int bareRuns, List<Measured> functions) {
    }

    Results measure(Path jar, Path lambdaCore) throws Exception {
        Path probe = classesOnly(repo.resolve("bench/target/probe"), FunctionProbe.class);
        Path bareEvent = repo.resolve("events/learner-api-put.json");
        bare(lambdaCore, bareEvent); // not counted: the first JVM start after a build reads its files from disk
        List<Start> bare = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            bare.add(bare(lambdaCore, bareEvent));
        }
        Start bareMedian = new Start(median(bare.stream().mapToDouble(Start::millis).toArray()),
                (long) median(bare.stream().mapToDouble(Start::heapBytes).toArray()), bare.get(0).answer());
        List<Measured> out = new ArrayList<>();
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            for (Function f : functions()) {
                boolean inJar = jarFile.getEntry(f.handlerClass().replace('.', '/') + ".class") != null;
                List<Start> starts = new ArrayList<>();
                if (inJar && f.eventFile() != null) {
                    Map<String, String> env = environment(f.logicalId());
                    for (int i = 0; i < runs; i++) {
                        starts.add(start(List.of(jar.toString(), probe.toString()), FunctionProbe.class.getName(),
                                List.of(f.handlerClass(), repo.resolve("events").resolve(f.eventFile()).toString()), env));
                    }
                }
                out.add(new Measured(f, inJar, starts));
                System.out.printf("  cold start %-28s %s%n", f.logicalId(), starts.isEmpty() ? "not in the jar yet"
                        : String.format("%.0f ms (median of %d), answer %s", new Measured(f, true, starts).medianMillis(),
                                starts.size(), starts.get(0).answer()));
            }
        }
        return new Results(bareMedian, runs, out);
    }

    /** The function's variables as the template sets them, pointed at moto and the sandbox. */
    private Map<String, String> environment(String logicalId) {
        Map<String, String> env = new LinkedHashMap<>(rig.stack.environment(logicalId));
        String sandbox = rig.sandbox.baseUri().toString();
        env.put("XERO_IDENTITY_URL", sandbox);
        env.put("XERO_LOGIN_URL", sandbox);
        env.put("XERO_API_URL", sandbox);
        env.put("AWS_ENDPOINT_URL", AwsEmulator.start().toString());
        env.put("AWS_REGION", AwsEmulator.REGION.id());
        return env;
    }

    private static Start start(List<String> classpath, String main, List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(main);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("XERO_") || k.startsWith("JAVA_TOOL"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process process = pb.start();
        String answer = null;
        long t1 = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ANSWER ")) {
                    t1 = System.nanoTime();
                    answer = line;
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (answer == null) {
            throw new IllegalStateException(main + " " + args + " gave no answer (exit " + process.exitValue() + ")");
        }
        String[] parts = answer.split(" ");
        double gcMillis = Long.parseLong(parts[2]) / 1e6;
        return new Start((t1 - t0) / 1e6 - gcMillis, Long.parseLong(parts[3]), parts[1]);
    }

    /** A class directory holding only the given classes: the process sees nothing else of the benchmark. */
    private static Path classesOnly(Path dir, Class<?>... classes) throws IOException {
        for (Class<?> c : classes) {
            String resource = c.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (var in = c.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
