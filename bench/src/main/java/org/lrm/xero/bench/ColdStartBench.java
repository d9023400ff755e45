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
import org.lrm.xero.bench.coldstart.WallClock;
import org.lrm.xero.bench.coldstart.crac.CheckpointException;
import org.lrm.xero.bench.coldstart.crac.Context;
import org.lrm.xero.bench.coldstart.crac.Core;
import org.lrm.xero.bench.coldstart.crac.Resource;
import org.lrm.xero.bench.coldstart.crac.RestoreException;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.SampleEvents;

/**
 * Cold starts: for each function of the template, a fresh JVM on the deployable (shaded) jar until
 * the handler's first answer to its sample event, with the environment pointed at moto and the
 * sandbox so the answer is real; against a bare handler with only aws-lambda-java-core on the same
 * JVM and flags. Each is run several times and the median kept.
 *
 * <p>The template deploys every function with SnapStart, so its cold start in Lambda is a restore
 * of a snapshot taken after init and priming. That is measured too when CRIU is at hand
 * ({@code -Dbench.criu}, which {@code bench/criu.sh} provides): the probe checkpoints through
 * {@code org.crac} (see {@link org.lrm.xero.bench.coldstart.crac.Core}), CRIU dumps it, and each
 * run restores the image and times it until the first answer. TCP connections the snapshot holds
 * come back closed, as after a SnapStart restore.
 */
final class ColdStartBench {

    /**
     * Stand-ins for what Lambda's Java runtime starts its JVM with (a serial collector, a heap sized by
     * the function's memory, no perf-data file), before the template's JAVA_TOOL_OPTIONS. The
     * machine's memory as the JVM sees it is the function's ({@link #templateMemoryMegabytes}).
     */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx512m", "-XX:-UsePerfData");

    /** Restores and bare starts are cheap; more of them steady the median. */
    static final int MIN_RESTORES = 9;

    /** The JVM flags every probe starts with: Lambda's, then the template's JAVA_TOOL_OPTIONS. */
    final List<String> jvmFlags;

    record Function(String logicalId, String handlerClass, Path eventFile) {
    }

    /** One start until the first answer; for a restore, also when the restored process ran again (else NaN). */
    record Start(double millis, long heapBytes, String answer, double resumedMillis) {
    }

    /**
     * @param bareAlongside bare handler starts taken one before each restore, so that a restore is
     *     weighed against the bare handler at the same moments of the machine
     */
    record Measured(Function function, boolean inJar, List<Start> starts, List<Start> restores, List<Start> bareAlongside) {
        double medianMillis() {
            return median(starts.stream().mapToDouble(Start::millis).toArray());
        }

        double medianBareAlongsideMillis() {
            return median(bareAlongside.stream().mapToDouble(Start::millis).toArray());
        }

        double medianRestoreMillis() {
            return median(restores.stream().mapToDouble(Start::millis).toArray());
        }

        /** From the restore command until the restored process ran again: CRIU's share of a restore. */
        double medianResumedMillis() {
            return median(restores.stream().mapToDouble(Start::resumedMillis).toArray());
        }

        long medianHeap() {
            return (long) median(starts.stream().mapToDouble(Start::heapBytes).toArray());
        }
    }

    private final Path repo;
    private final IntegrationRig rig;
    private final int runs;
    /** The functions to measure ({@code BENCH_FUNCTIONS=LearnerApiFunction,...}); all when empty. */
    private final List<String> only;
    /** CRIU's binary, or null when snapshots are not measured (see {@link #snapshotsUnavailable}). */
    private final Path criu;

    ColdStartBench(Path repo, IntegrationRig rig, int runs) throws IOException {
        this.only = List.of(System.getProperty("bench.functions", "").split(",")).stream().filter(s -> !s.isBlank()).toList();
        this.repo = repo;
        this.rig = rig;
        this.runs = runs;
        this.jvmFlags = new ArrayList<>(LAMBDA_FLAGS);
        this.jvmFlags.add("-XX:MaxRAM=" + templateMemoryMegabytes(repo) + "m");
        this.jvmFlags.addAll(templateJavaToolOptions(repo));
        String criuPath = System.getProperty("bench.criu", "");
        this.criu = criuPath.isBlank() || !Files.isExecutable(Path.of(criuPath)) ? null : Path.of(criuPath);
    }

    /**
     * The functions' memory as the template's Globals set it. A function's microVM has that much,
     * so its JVM sizes its initial heap and young generation from it; this machine has far more,
     * and a JVM left to size itself here would start with a heap many times Lambda's, whose pages
     * init and priming dirty would then weigh on every restore.
     */
    static int templateMemoryMegabytes(Path repo) throws IOException {
        Matcher m = Pattern.compile("(?m)^    MemorySize:\\s*(\\d+)\\s*$").matcher(Files.readString(repo.resolve("infra/template.yaml")));
        if (!m.find()) {
            throw new IllegalStateException("infra/template.yaml sets no MemorySize in its Globals");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The functions' {@code JAVA_TOOL_OPTIONS} as the template sets them for every function. */
    static List<String> templateJavaToolOptions(Path repo) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+JAVA_TOOL_OPTIONS:\\s*(.+)$").matcher(Files.readString(repo.resolve("infra/template.yaml")));
        if (!m.find()) {
            throw new IllegalStateException("infra/template.yaml sets no JAVA_TOOL_OPTIONS");
        }
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** Why SnapStart restores are not measured in this run, or null when they are. */
    String snapshotsUnavailable() {
        return criu != null ? null : "CRIU not available (bench/criu.sh builds it; it needs root on Linux)";
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
        Pattern handlerLine = Pattern.compile("^\\s+Handler:\\s*([\\w.]+)");
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
        Map<String, Path> events = SampleEvents.firstPerFunction(repo);
        List<Function> out = new ArrayList<>();
        handlers.forEach((id, type) -> out.add(new Function(id, type, events.get(id))));
        return out;
    }

    private List<String> bareClasspath(Path lambdaCore) throws IOException {
        Path dir = classesOnly(repo.resolve("bench/target/bare"), BareHandler.class, BareProbe.class, WallClock.class);
        classesOnly(dir, cracClasses());
        return List.of(lambdaCore.toString(), dir.toString());
    }

    /** The benchmark's CRaC implementation, which a snapshot probe loads through org.crac's facade. */
    private static Class<?>[] cracClasses() {
        List<Class<?>> classes = new ArrayList<>(List.of(Core.class, Context.class, Resource.class, CheckpointException.class,
                RestoreException.class));
        classes.addAll(List.of(Core.class.getDeclaredClasses()));
        return classes.toArray(Class<?>[]::new);
    }

    /** The bare handler's median start (and restore, when measured) and each function's. */
    record Results(Start bare, Start bareRestored, List<Measured> functions) {
    }

    Results measure(Path jar, Path lambdaCore) throws Exception {
        Path probe = classesOnly(repo.resolve("bench/target/probe"), FunctionProbe.class, WallClock.class);
        classesOnly(probe, cracClasses());
        List<String> bareClasspath = bareClasspath(lambdaCore);
        List<String> bareArgs = List.of(repo.resolve("events/learner-api-put.json").toString());
        // not counted: the first JVM start after a build reads its files from disk
        start(bareClasspath, BareProbe.class.getName(), bareArgs, Map.of());
        List<Start> bareBefore = bareStarts(bareClasspath, bareArgs);
        List<Start> bareRestores = criu == null ? List.of()
                : restores("bare", bareClasspath, BareProbe.class.getName(), bareArgs, Map.of(), null);
        List<Measured> out = new ArrayList<>();
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            for (Function f : functions()) {
                if (!only.isEmpty() && !only.contains(f.logicalId())) {
                    continue;
                }
                boolean inJar = jarFile.getEntry(f.handlerClass().replace('.', '/') + ".class") != null;
                List<Start> starts = new ArrayList<>();
                List<Start> restores = List.of();
                List<Start> bareAlongside = new ArrayList<>();
                if (inJar && f.eventFile() != null) {
                    Map<String, String> env = rig.lambdaEnvironment(f.logicalId());
                    List<String> classpath = List.of(jar.toString(), probe.toString());
                    List<String> args = List.of(f.handlerClass(), f.eventFile().toString());
                    for (int i = 0; i < runs; i++) {
                        starts.add(start(classpath, FunctionProbe.class.getName(), args, env));
                    }
                    if (criu != null) {
                        restores = restores(f.logicalId(), classpath, FunctionProbe.class.getName(), args, env,
                                () -> bareAlongside.add(start(bareClasspath, BareProbe.class.getName(), bareArgs, Map.of())));
                    }
                }
                Measured m = new Measured(f, inJar, starts, restores, bareAlongside);
                out.add(m);
                System.out.printf("  cold start %-28s %s%n", f.logicalId(), starts.isEmpty() ? "not in the jar yet"
                        : String.format("%.0f ms (median of %d), restored %.0f ms, answer %s", m.medianMillis(), starts.size(),
                                m.medianRestoreMillis(), starts.get(0).answer()));
            }
        }
        // The bare handler again after the functions: the faster of the two medians is the baseline, so
        // that a slow moment of the machine never flatters a ratio.
        Start before = medianOf(bareBefore);
        Start after = medianOf(bareStarts(bareClasspath, bareArgs));
        Start bare = before.millis() <= after.millis() ? before : after;
        System.out.printf("  bare handler: %.0f ms before the functions, %.0f ms after%n", before.millis(), after.millis());
        return new Results(bare, bareRestores.isEmpty() ? null : medianOf(bareRestores), out);
    }

    private List<Start> bareStarts(List<String> classpath, List<String> args) throws Exception {
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < Math.max(runs, MIN_RESTORES); i++) {
            starts.add(start(classpath, BareProbe.class.getName(), args, Map.of()));
        }
        return starts;
    }

    private static Start medianOf(List<Start> starts) {
        return new Start(median(starts.stream().mapToDouble(Start::millis).toArray()),
                (long) median(starts.stream().mapToDouble(Start::heapBytes).toArray()), starts.get(0).answer(),
                median(starts.stream().mapToDouble(Start::resumedMillis).toArray()));
    }

    /** A JVM as Lambda would start it for the probe, with only the given environment of ours. */
    private ProcessBuilder jvm(List<String> classpath, String main, List<String> args, Map<String, String> env,
            List<String> extraFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(main);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("XERO_") || k.startsWith("JAVA_TOOL"));
        pb.environment().putAll(env);
        return pb;
    }

    private Start start(List<String> classpath, String main, List<String> args, Map<String, String> env) throws Exception {
        long t0 = System.nanoTime();
        Process process = jvm(classpath, main, args, env, List.of()).start();
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
        return new Start((t1 - t0) / 1e6 - gcMillis, Long.parseLong(parts[3]), parts[1], Double.NaN);
    }

    /**
     * SnapStart: the probe runs init and priming and checkpoints; CRIU dumps it (which ends it), and
     * each run restores that image until the answer, timed by the wall clock from before the restore command to
     * the answer's own time stamp. The probe's standard output is a file, put back as it was
     * at the dump before each restore (CRIU restores open files at their size and offset).
     */
    private List<Start> restores(String name, List<String> classpath, String main, List<String> args, Map<String, String> env,
            BareStart before) throws Exception {
        Path dir = repo.resolve("bench/target/snapshots").resolve(name);
        Path image = dir.resolve("image");
        deleteTree(dir);
        Files.createDirectories(image);
        Path out = dir.resolve("stdout.txt");
        Path go = dir.resolve("go");
        Process process = jvm(classpath, main, args, env, List.of("-Dorg.crac.Core.Compat=" + Core.class.getPackageName(),
                "-Dbench.snapshot.go=" + go)).redirectInput(new java.io.File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).contains("CHECKPOINT")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + ": no checkpoint; " + Files.readString(dir.resolve("stderr.txt")));
            }
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
        criu(image, "dump", "-t", Long.toString(process.pid()), "--tcp-established", "-o", "dump.log");
        process.waitFor(30, TimeUnit.SECONDS);
        byte[] atCheckpoint = Files.readAllBytes(out);
        String init = new String(atCheckpoint, StandardCharsets.UTF_8);
        if (init.contains("snapstart.primingFailed")) {
            // A snapshot of a function whose priming failed would make its restores look slower, not faster.
            throw new IllegalStateException(name + ": priming failed before the checkpoint: " + init.lines()
                    .filter(l -> l.contains("snapstart.primingFailed")).toList());
        }
        Files.createFile(go);
        List<Start> restores = new ArrayList<>();
        for (int i = 0; i < Math.max(runs, MIN_RESTORES); i++) {
            if (before != null) {
                before.run();
            }
            Files.write(out, atCheckpoint);
            long t0 = WallClock.epochNanos();
            criu(image, "restore", "--tcp-close", "-o", "restore.log");
            List<String> lines = Files.readAllLines(out);
            String[] resumed = lines.stream().filter(l -> l.startsWith("RESTORED ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + ": not restored")).split(" ");
            String[] answer = lines.stream().filter(l -> l.startsWith("ANSWER ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + ": restored, but no answer")).split(" ");
            long resumedAt = Long.parseLong(resumed[1]);
            long answeredAt = Long.parseLong(answer[4]);
            restores.add(new Start((answeredAt - t0) / 1e6, Long.parseLong(answer[3]), answer[1], (resumedAt - t0) / 1e6));
            System.out.printf("    %s restore: resumed after %.0f ms, answered %.0f ms later%n", name, (resumedAt - t0) / 1e6,
                    (answeredAt - resumedAt) / 1e6);
        }
        return restores;
    }

    /** A bare handler's start, taken alongside a function's restores. */
    interface BareStart {
        void run() throws Exception;
    }

    /** Runs CRIU on an image directory and waits for it (a restore waits for the restored process to end). */
    private void criu(Path image, String action, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(criu.toString(), action, "-D", image.toString(), "--shell-job"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            String log = options[options.length - 1];
            List<String> lines = Files.readAllLines(image.resolve(log));
            throw new IllegalStateException("criu " + action + " failed; " + log + " ends: "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
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
