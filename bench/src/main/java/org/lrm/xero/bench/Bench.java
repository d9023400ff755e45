package org.lrm.xero.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.bench.Report.Verdict;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Metrics;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.FinanceYear;
import org.lrm.xero.testing.IntegrationRig;

/**
 * The benchmark (run by {@code ./bench.sh}): Xero calls, time under Xero's limits, webhook ingest,
 * worker throughput and cold starts, each next to the naive baseline measured or computed in the
 * same run, against the in-process Xero sandbox and moto. Writes {@code bench/results/latest.json}
 * and {@code latest.md}. Timings are taken here, never in tests.
 */
public final class Bench {

    /** Sizes of one run: the issue's, or a small one ({@code --quick}) to check the benchmark itself. */
    record Sizes(int learners, int naiveLearners, int invoices, int eventsPerInvoice, int coldStartRuns, int workers,
            int resyncLearners, int resyncInvoices, int organisations, int neighbours, int neighbourWindowSeconds) {
        static final Sizes FULL = new Sizes(10_000, 1_000, 2_000, 5, 3, 2, 3_000, 10_000, 200, 50, 90);
        static final Sizes QUICK = new Sizes(1_000, 200, 200, 5, 1, 2, 300, 1_000, 20, 10, 30);
    }

    /** The scenarios, in the order they run; {@code --only=resync,coldstart} runs some of them. */
    static final List<String> SCENARIOS = List.of("learners", "webhooks", "resync-5000", "resync-1000", "orgs", "coldstart");

    /** The re-sync's two organisations: {@code --only=resync} names both. */
    static final int[] RESYNC_DAY_LIMITS = {5_000, 1_000};

    private Bench() {
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
        }
        // The sandbox's and HTTP clients' threads would keep the JVM alive.
        System.exit(status);
    }

    /**
     * Scenarios a full run measures at the same time, each group in its own JVM with its own moto and
     * sandbox: moto is one Python process that keeps one core busy, so the groups together use every
     * core of a small machine. The re-sync's two organisations are two groups: each is the longest
     * scenario, and one after the other they would be the run's longest path. The many organisations
     * and the cold starts run afterwards, alone: the noisy neighbour runs in real time and the cold starts
     * time JVMs, so nothing else may compete with them.
     */
    static final List<List<String>> PARALLEL_GROUPS = List.of(List.of("learners"), List.of("webhooks"), List.of("resync-5000"),
            List.of("resync-1000"));

    private static void run(String[] args) throws Exception {
        List<String> argList = List.of(args);
        boolean quick = argList.contains("--quick");
        List<String> only = argList.stream().filter(a -> a.startsWith("--only=")).findFirst()
                .map(a -> Stream.of(a.substring("--only=".length()).split(","))
                        .flatMap(n -> n.equals("resync") ? IntStream.of(RESYNC_DAY_LIMITS).mapToObj(l -> "resync-" + l) : Stream.of(n))
                        .toList())
                .orElse(SCENARIOS);
        // A group's JVM (see PARALLEL_GROUPS) writes its results where the run that started it reads them.
        Path childResults = argList.stream().filter(a -> a.startsWith("--child=")).findFirst()
                .map(a -> Path.of(a.substring("--child=".length()))).orElse(null);
        Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path results = repo.resolve("bench/results");
        Path lambdaCore = Path.of(System.getProperty("bench.lambdaCore"));
        String runName = childResults == null ? "" : "-" + String.join("-", only);
        Path functionLog = repo.resolve("bench/target/functions" + runName + ".log");
        logTo(functionLog);
        Map<String, Object> machine = Machine.describe();
        Report report = new Report(machine);
        report.raw("sizes", sizes);
        long t0 = System.nanoTime();
        System.out.println("Machine: " + machine.get("summary") + "\nThe functions' JSON logs go to " + functionLog);
        List<String> inProcess = only;
        if (childResults == null && only.size() > 1) {
            inProcess = inGroups(repo, only, argList, report);
        }
        if (!inProcess.isEmpty()) {
            try (IntegrationRig rig = IntegrationRig.start()) {
                rig.admin.clearFaults(); // no latency, no faults: what is measured is the integration
                Learners synced = null;
                if (inProcess.contains("learners")) {
                    synced = learners(rig, report, sizes);
                }
                if (inProcess.contains("webhooks")) {
                    webhooks(rig, report, sizes, synced != null ? synced : learnersInXero(rig, sizes));
                }
                for (int dayLimit : RESYNC_DAY_LIMITS) {
                    if (inProcess.contains("resync-" + dayLimit)) {
                        resync(rig, report, sizes, dayLimit);
                    }
                }
                if (inProcess.contains("orgs")) {
                    OrgsReport.run(rig, report, sizes);
                }
                if (inProcess.contains("coldstart")) {
                    coldStarts(repo, rig, report, sizes, lambdaCore);
                }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (childResults != null) {
            report.write(childResults, null);
            return;
        }
        report.raw("benchWallSeconds", wall);
        report.raw("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
        // A partial run (--only, --quick) is kept beside the latest full one, which the README shows.
        String name = only.containsAll(SCENARIOS) && !quick ? "latest" : "partial-" + String.join("-", only) + (quick ? "-quick" : "");
        report.write(results.resolve(name + ".json"), results.resolve(name + ".md"));
        // --readme: a partial run's table replaces the README's too (the many organisations' part runs long on a small
        // machine; the README then says which scenarios its table holds).
        if (name.equals("latest") || argList.contains("--readme")) {
            intoReadme(repo.resolve("README.md"), report.markdown());
        }
        System.out.println();
        System.out.println(Files.readString(results.resolve(name + ".md")));
        System.out.printf("Benchmark ran %.0f s (build not included); results in %s%n", wall, results);
    }

    /**
     * Runs the wanted scenarios of each of {@link #PARALLEL_GROUPS} in a JVM of its own, all at once,
     * and takes their rows into {@code report} in the groups' order. Returns the scenarios left for
     * this process.
     */
    private static List<String> inGroups(Path repo, List<String> only, List<String> args, Report report) throws Exception {
        record Child(List<String> scenarios, Process process, Path results, Path log) {
        }
        List<List<String>> groups = PARALLEL_GROUPS.stream().map(g -> g.stream().filter(only::contains).toList())
                .filter(g -> !g.isEmpty()).toList();
        if (groups.size() < 2) {
            return only; // nothing would run beside it: this process runs it, its output on the console
        }
        List<Child> children = new ArrayList<>();
        List<String> left = new ArrayList<>(only);
        for (List<String> scenarios : groups) {
            left.removeAll(scenarios);
            String name = String.join("-", scenarios);
            Path results = repo.resolve("bench/target/group-" + name + ".json");
            Path log = repo.resolve("bench/target/group-" + name + ".log");
            Files.deleteIfExists(results);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Bench.class.getName(),
                    "--only=" + String.join(",", scenarios), "--child=" + results));
            if (args.contains("--quick")) {
                command.add("--quick");
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            System.out.println("== " + String.join(", ", scenarios) + ": in a JVM of its own, output in " + log);
            children.add(new Child(scenarios, process, results, log));
        }
        for (Child c : children) {
            int status = c.process().waitFor();
            List<String> lines = Files.readAllLines(c.log());
            lines.stream().filter(l -> l.startsWith("  ")).forEach(System.out::println);
            if (status != 0 || !Files.exists(c.results())) {
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.out::println);
                throw new IllegalStateException(String.join(", ", c.scenarios()) + " failed (exit " + status + "); see " + c.log());
            }
            report.absorb(c.results());
        }
        return left;
    }

    /** How many learners the webhooks' invoices are raised for. */
    private static final int WEBHOOK_LEARNERS = 3_000;

    /** An organisation whose learners are Xero contacts now: the webhooks' invoices are raised for them. */
    private record Learners(String orgId, String tenantId, List<String> contactIds) {
    }

    private static Learners learners(IntegrationRig rig, Report report, Sizes sizes) throws Exception {
        System.out.println("== learners to Xero contacts");
        LearnerBench bench = new LearnerBench(rig);
        int dayLimit = 5_000;
        String org = "org-bench-learners";
        String tenant = rig.connect(org, "Bench College", dayLimit);
        LearnerBench.Run run = bench.bulkSync(org, tenant, "bl", sizes.learners(), sizes.workers());
        report.raw("learners", LearnerBench.raw(run));
        String naiveTenant = rig.connect("org-naive-learners", "Naive College", dayLimit);
        LearnerBench.Naive naive = bench.oneCallPerLearner("org-naive-learners", naiveTenant, "nl", sizes.naiveLearners());
        report.raw("learnersNaive", naive);

        double perThousand = run.appCalls() * 1000.0 / run.learners();
        double naivePerThousand = naive.appCalls() * 1000.0 / sizes.naiveLearners();
        report.row("1 calls", "Xero calls per 1,000 learners bulk-synced", String.format("%.1f", perThousand),
                String.format("%.0f", naivePerThousand), "≤ 21", Report.atMost(perThousand, 21),
                String.format("%,d learners in one bulk request through the learner API and the learner-sync worker: %,d calls %s,"
                        + " %,d/%,d SYNCED; the %,d CONTACT webhook events Xero sent for those writes delivered to the receiver"
                        + " and processed by the invoice worker, their calls counted (an echo of our own write costs none)."
                        + " Baseline measured on %,d learners: one POST /Contacts per learner through the same"
                        + " XeroClient and gateway (%s)", run.learners(), run.appCalls(), run.byEndpoint(), run.synced(),
                        run.learners(), run.webhookEvents(), sizes.naiveLearners(), naive.byEndpoint()));

        Duration naiveTime = XeroLimits.timeFor(run.learners(), dayLimit);
        report.row("3 time", String.format("%,d learners bulk-synced, %,d/day org (sandbox clock)", run.learners(), dayLimit),
                XeroLimits.human(run.sandboxTime()), XeroLimits.human(naiveTime) + " (computed)", "reference: Wisenet up to 24 h",
                Report.atMost(run.sandboxTime().toSeconds(), 86_400),
                String.format("sandbox clock from the bulk request to the last learner SYNCED: %s of it waiting for Xero's"
                        + " limits (both clocks moved on), the rest this machine's processing against moto; %d answered 429."
                        + " Baseline computed from %,d calls at 60/min and %,d/day", XeroLimits.human(
                                Duration.ofSeconds(run.drain().advancedSeconds())), run.rateLimited(), run.learners(), dayLimit));
        report.row("6 throughput", "Learner-sync worker per instance, sandbox latency 0",
                String.format("%.0f learners/s", run.learners() / run.drain().busySeconds() / sizes.workers()), "", "",
                Verdict.NONE, String.format("%,d learners in %.0f s of busy time of %d concurrent instances against moto on this"
                        + " machine (moto, not Xero, is the bottleneck here)", run.learners(), run.drain().busySeconds(),
                        sizes.workers()));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Math.min(run.learners(), WEBHOOK_LEARNERS); i++) {
            ids.add("bl-" + i);
        }
        Map<String, LearnerRecord> records = new DynamoLearnerStore(rig.aws.dynamoDb(),
                rig.settings("LearnerApiFunction").tableName()).findAll(org, ids);
        List<String> contacts = new ArrayList<>();
        records.values().forEach(r -> {
            if (r.contactId() != null) {
                contacts.add(r.contactId());
            }
        });
        return new Learners(org, tenant, contacts);
    }

    /**
     * Without the learner scenario before it (as when it runs beside it): an organisation whose
     * learners' contacts finance's Xero holds, linked in our store as a bulk sync leaves them.
     */
    private static Learners learnersInXero(IntegrationRig rig, Sizes sizes) {
        String org = "org-bench-webhooks";
        String tenant = rig.connect(org, "Webhook College", 5_000);
        FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant);
        List<String> contacts = FinanceYear.learnersInXero(finance, new DynamoLearnerStore(rig.aws.dynamoDb(),
                rig.settings("LearnerApiFunction").tableName()), org, rig.clock, Math.min(sizes.learners(), WEBHOOK_LEARNERS));
        return new Learners(org, tenant, contacts);
    }

    private static void webhooks(IntegrationRig rig, Report report, Sizes sizes, Learners synced) throws Exception {
        System.out.println("== webhook ingest");
        WebhookBench.Outcome o = new WebhookBench(rig).run(synced.orgId(), synced.tenantId(), synced.contactIds(), sizes.invoices(),
                sizes.eventsPerInvoice());
        report.raw("webhooks", WebhookBench.raw(o));
        WebhookBench.Answers in = o.inProcess();
        WebhookBench.Answers http = o.overHttp();
        report.row("4 webhooks", String.format("Receiver answer per delivery of %d events, in process: p50 / p99 / max",
                        WebhookBench.EVENTS_PER_DELIVERY),
                String.format("%.1f / %.1f / %.1f ms", in.p50(), in.p99(), in.max()), "", "p99 < 100 ms",
                Report.atMost(in.p99(), 100) == Verdict.PASS && in.non200() == 0 ? Verdict.PASS : Verdict.FAIL,
                String.format("%,d deliveries signed as Xero signs (base64 HMAC-SHA256, webhook key); %d not answered 200;"
                        + " each answer includes the SQS send to moto", in.deliveries(), in.non200()));
        report.row("4 webhooks", "Receiver answer per delivery over HTTP (local API bridge): p50 / p99 / max",
                String.format("%.1f / %.1f / %.1f ms", http.p50(), http.p99(), http.max()), "", "p99 < 100 ms",
                Report.atMost(http.p99(), 100) == Verdict.PASS && http.non200() == 0 ? Verdict.PASS : Verdict.FAIL,
                "the same deliveries again (as Xero re-delivers) through HttpApiBridge (HTTP to API Gateway v2 events), the"
                        + " bridge the local run's gateway is built on");
        report.row("4 webhooks", String.format("%,d events until all processed by the invoice worker (one instance)", o.eventsSent()),
                String.format("%.0f s real, %s sandbox clock", o.wallSecondsToProcessed(), XeroLimits.human(o.sandboxTimeToProcessed())),
                "", "none lost", o.eventsProcessed() == o.eventsSent() ? Verdict.PASS : Verdict.FAIL,
                String.format("%,d of %,d distinct events marked processed; %,d of %,d invoices stored for their learners; %d"
                        + " events per invoice (CREATE, then UPDATEs); from the first delivery to the queue empty, %s of it"
                        + " waiting for Xero's limits", o.eventsProcessed(), o.eventsSent(), o.invoicesStored(), o.invoices(),
                        sizes.eventsPerInvoice(), XeroLimits.human(Duration.ofSeconds(o.drain().advancedSeconds()))));
        report.row("6 throughput", "Invoice worker per instance, sandbox latency 0",
                String.format("%.0f events/s", o.eventsPerBusySecond()), "", "", Verdict.NONE,
                String.format("%,d events (%,d invoices fetched and stored) in %.0f s of busy time, one instance, against moto",
                        o.eventsSent(), o.invoices(), o.drain().busySeconds()));
    }

    private static void resync(IntegrationRig rig, Report report, Sizes sizes, int dayLimit) throws Exception {
        int invoices = sizes.resyncInvoices();
        String scale = String.format("a year of %,d invoices over %,d learners", invoices, sizes.resyncLearners());
        System.out.println("== re-sync of " + scale + ", " + dayLimit + "/day org");
        ResyncBench.Run run = new ResyncBench(rig).run("org-bench-resync-" + dayLimit, dayLimit, sizes.resyncLearners(), invoices);
        report.raw("resync" + dayLimit, run);
        if (dayLimit == 5_000) {
            report.row("2 calls", "Xero calls to re-sync " + scale + ": records", String.valueOf(run.recordCalls()),
                    String.format("%,d (one GET /Invoices/{id} each)", invoices), "≤ 40", Report.atMost(run.recordCalls(), 40),
                    String.format("%s; job %s; %,d records expected, %d unlike Xero's", run.recordCallsByEndpoint(), run.state(),
                            run.expectedRecords(), run.recordsWrong()));
            report.row("2 calls", "… and PDFs", String.format("%,d", run.pdfsQueued()), String.format("%,d", invoices), "",
                    Verdict.NONE, String.format("one GET /Invoices/{id} (application/pdf) per changed invoice (Xero has no"
                            + " bulk PDF): %,d PDF fetches queued for prefetch for %,d records, in %,d messages (25 PDFs to"
                            + " one; one each before)", run.pdfsQueued(), run.expectedRecords(), run.pdfMessages()));
        }
        boolean right = run.state().equals("DONE") && run.recordsWrong() == 0;
        report.row("3 time", String.format("Re-sync of %,d invoices, %,d/day org: every record right", invoices, dayLimit),
                XeroLimits.human(run.recordsTime()), XeroLimits.human(XeroLimits.timeFor(invoices, dayLimit)) + " (computed)",
                "≤ 10 min; reference: Wisenet up to 24 h",
                right && run.recordsTime().compareTo(Duration.ofMinutes(10)) <= 0 ? Verdict.PASS : Verdict.FAIL,
                String.format("from the re-sync request to the job DONE with every record equal to Xero's (%d unlike):"
                        + " %s waiting for Xero's limits (sandbox clock) plus the processing on this machine against moto;"
                        + " baseline computed from %,d calls at 60/min and %,d/day; %.0f s real for the whole scenario,"
                        + " finance's year included", run.recordsWrong(), XeroLimits.human(run.waitedForXero()), invoices,
                        dayLimit, run.wallSeconds()));
        int bulkDay = dayLimit * 4 / 5;
        report.row("3 time", String.format("… every PDF stored, %,d/day org", dayLimit),
                XeroLimits.human(XeroLimits.timeFor(run.recordCalls() + run.pdfsQueued(), bulkDay)) + " (computed)",
                XeroLimits.human(XeroLimits.timeFor(2L * invoices, dayLimit)) + " (computed)", "reference: Wisenet up to 24 h",
                Verdict.NONE, String.format("computed, not run: %,d record calls and %,d PDF calls at 60/min within bulk"
                        + " work's %,d of the day (a fifth is kept for interactive work); baseline: a GET per invoice and a"
                        + " GET per PDF", run.recordCalls(), run.pdfsQueued(), bulkDay));
    }

    private static void coldStarts(Path repo, IntegrationRig rig, Report report, Sizes sizes, Path lambdaCore) throws Exception {
        System.out.println("== cold starts");
        Path jar = ColdStartBench.deployableJar(repo);
        ColdStartBench bench = new ColdStartBench(repo, rig, sizes.coldStartRuns());
        ColdStartBench.Results r = bench.measure(jar, lambdaCore);
        double bare = r.bare().millis();
        String unavailable = bench.snapshotsUnavailable();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("jar", jar.getFileName().toString());
        raw.put("jarBytes", Files.size(jar));
        raw.put("jvmFlags", bench.jvmFlags);
        raw.put("bare", r.bare());
        raw.put("bareRestored", r.bareRestored());
        raw.put("snapshotsUnavailable", unavailable);
        raw.put("functions", r.functions());
        report.raw("coldStarts", raw);
        String baseline = String.format("%.0f ms fresh JVM", bare)
                + (r.bareRestored() == null ? "" : String.format(", %.0f ms restored (running again after %.0f)",
                        r.bareRestored().millis(), r.bareRestored().resumedMillis()))
                + String.format(", heap %.1f MB (bare)", r.bare().heapBytes() / 1e6);
        for (ColdStartBench.Measured m : r.functions()) {
            String name = m.function().handlerClass().substring(m.function().handlerClass().lastIndexOf('.') + 1);
            if (m.starts().isEmpty()) {
                report.row("5 cold start", name, "pending", baseline, "≤ 2× bare", Verdict.PENDING,
                        m.inJar() ? "no sample event" : "not in the deployable jar yet");
                continue;
            }
            double fresh = m.medianMillis() / bare;
            String freshText = String.format("fresh JVM %.0f ms (%.1f×), heap %.0f MB", m.medianMillis(), fresh, m.medianHeap() / 1e6);
            if (m.restores().isEmpty()) {
                report.row("5 cold start", name + " (first answer: " + m.starts().get(0).answer() + ")", freshText, baseline,
                        "≤ 2× bare", Report.atMost(fresh, 2), "");
                continue;
            }
            double alongside = m.medianBareAlongsideMillis();
            double restored = m.medianRestoreMillis() / alongside;
            report.row("5 cold start", name + " (first answer: " + m.starts().get(0).answer() + ")",
                    String.format("SnapStart %.0f ms (%.1f×: running again after %.0f); %s", m.medianRestoreMillis(), restored,
                            m.medianResumedMillis(), freshText),
                    String.format("%.0f ms fresh JVM alongside the restores; ", alongside) + baseline,
                    "≤ 2× bare", Report.atMost(restored, 2), "");
        }
        report.row("5 cold start", "Deployable jar", String.format("%.1f MB", Files.size(jar) / 1e6), "", "", Verdict.NONE,
                String.format("%s; medians of %d runs each (at least %d restores, and as many bare starts before the functions and after, the faster median the fresh JVM baseline) with the JVM flags %s (Lambda's stand-ins, then the"
                        + " template's JAVA_TOOL_OPTIONS). Fresh JVM: from process start to the"
                        + " first answer, the GC asked for to weigh the heap after init taken off. SnapStart (the template"
                        + " publishes every function with it, so this is its cold start in Lambda): %s. The target is held"
                        + " to the SnapStart figure when it is measured", jar.getFileName(), sizes.coldStartRuns(), ColdStartBench.MIN_RESTORES,
                        String.join(" ", bench.jvmFlags), unavailable != null ? "not measured, " + unavailable
                                : "init, then the functions' org.crac priming (support.Priming) and a checkpoint; CRIU dumps"
                                        + " the process; each run restores the image, its TCP connections closed as after a"
                                        + " Lambda restore, and is timed from the restore command to the first answer;"
                                        + " \"running again after\" is when the restored process first wrote a line (CRIU's share),"
                                        + " the rest is the answer's own work; a bare handler's fresh start is taken before each restore,"
                                        + " and a function's SnapStart ratio is to the median of those, so that both are"
                                        + " measured at the same moments of this machine"));
    }

    /** The README shows the latest table, between its markers. */
    private static void intoReadme(Path readme, String table) throws IOException {
        String begin = "<!-- bench:table -->\n";
        String end = "<!-- /bench:table -->";
        String text = Files.readString(readme);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            System.out.println("README.md has no " + begin.trim() + " marker: table not copied there");
            return;
        }
        Files.writeString(readme, text.substring(0, b + begin.length()) + table + text.substring(e));
    }

    /** The functions' JSON log lines (and EMF metrics) to a file: the console keeps the benchmark's own lines. */
    private static void logTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        java.util.function.Consumer<String> sink = line -> {
            synchronized (out) {
                try {
                    out.write(line);
                    out.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        JsonLog.sink(sink);
        Metrics.sink(sink);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (out) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the log is a convenience; the results are written already
                }
            }
        }));
    }
}
