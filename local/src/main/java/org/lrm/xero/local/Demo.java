package org.lrm.xero.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./local.sh --demo}: the main job end to end through the local gateway, as the LRM and a
 * finance team would do it, then a summary; exit 0 only when every learner's invoices equal
 * Xero's (the sandbox's) state.
 */
final class Demo {

    static final String ORG = "org-demo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SYNC_DEADLINE = Duration.ofMinutes(5);

    private final LocalRun run;
    private final int learnerCount;
    private final PrintStream out;
    private final GatewayClient gateway;
    private final String admin;
    private final String staff;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> rows = new LinkedHashMap<>();
    private String tenantId;

    Demo(LocalRun run, int learnerCount, PrintStream out) {
        this.run = run;
        this.learnerCount = learnerCount;
        this.out = out;
        this.gateway = new GatewayClient(run);
        this.admin = run.token(ORG, "admin", null);
        this.staff = run.token(ORG, "staff", null);
    }

    /** @return the process exit code: 0 when every check held */
    int run() {
        Instant began = Instant.now();
        try {
            connect();
            Map<String, String> contacts = syncLearners();
            new DemoInvoices(run, this, tenantId, contacts, out).run();
        } catch (RuntimeException e) {
            problems.add("the demo stopped: " + e.getMessage());
        }
        xeroContractKept();
        noDeadLetters();
        summary(Duration.between(began, Instant.now()));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Connect {@link #ORG} as its admin would in a browser. */
    private void connect() {
        step("connecting " + ORG + " to a new Xero organisation through the sandbox's OAuth consent");
        tenantId = run.sandboxAdmin().createTenant("Demo Training Co", null);
        gateway.connect(ORG, tenantId);
        JsonNode connection = gateway.expect(200, gateway.send("GET", "/v1/xero/connection", staff, null));
        out.println("  " + connection.path("status").asText() + " to " + connection.path("tenantName").asText() + " (" + tenantId + ")");
    }

    /** Bulk-sync the learners through the gateway; wait until each is SYNCED. @return contact id by learner id */
    private Map<String, String> syncLearners() {
        step("bulk-syncing " + learnerCount + " learners (POST /v1/learners:bulk-sync)");
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("learners");
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= learnerCount; n++) {
            String id = String.format("D-%04d", n);
            ids.add(id);
            ObjectNode l = list.addObject().put("learnerId", id).put("refInternal", String.format("DEMO%04d", n))
                    .put("firstName", FIRST[n % FIRST.length]).put("lastName", LAST[(n / FIRST.length) % LAST.length])
                    .put("email", "learner" + n + "@example.org").put("syncToXero", true);
            l.putObject("address").put("line1", n + " Main St").put("city", "Perth").put("region", "WA")
                    .put("postalCode", "6000").put("country", "AU");
            l.putArray("enrolments").addObject().put("enrolmentId", "E-" + n).put("course", "BSB50120 Diploma of Business")
                    .put("startDate", "2027-02-01").put("status", "CONFIRMED");
        }
        out.println("  202 " + gateway.expect(202, gateway.send("POST", "/v1/learners:bulk-sync", admin, body.toString())));

        Map<String, String> contacts = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(ids);
        Instant deadline = Instant.now().plus(SYNC_DEADLINE);
        Instant nextReport = Instant.now();
        while (!pending.isEmpty()) {
            List<String> still = new ArrayList<>();
            for (String id : pending) {
                JsonNode status = gateway.expect(200, gateway.send("GET", "/v1/learners/" + id + "/xero", staff, null));
                if ("SYNCED".equals(status.path("state").asText())) {
                    contacts.put(id, status.path("contactId").asText());
                } else if ("FAILED".equals(status.path("state").asText())) {
                    throw new IllegalStateException("learner " + id + " failed to sync: " + status.path("error").asText());
                } else {
                    still.add(id);
                }
            }
            pending = still;
            if (!pending.isEmpty() && Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(pending.size() + " learners not SYNCED within " + SYNC_DEADLINE.toMinutes() + " minutes");
            }
            if (Instant.now().isAfter(nextReport)) {
                out.println("  synced " + contacts.size() + " of " + ids.size());
                nextReport = Instant.now().plusSeconds(3);
            }
        }
        out.println("  all " + contacts.size() + " learners SYNCED");
        rows.put("learners synced", contacts.size() + " of " + learnerCount);
        return contacts;
    }

    /** Every request the integration sent to Xero, and every answer it read, held to Xero's OpenAPI documents (by the sandbox). */
    private void xeroContractKept() {
        JsonNode contract = run.sandboxAdmin().contract();
        rows.put("Xero's OpenAPI", contract.path("checked").asText() + " exchanges checked, " + contract.path("violationCount").asText()
                + " broke it");
        for (JsonNode v : contract.path("violations")) {
            problems.add("Xero OpenAPI: " + v.path("exchange").asText() + ": " + v.path("message").asText());
        }
    }

    /** Nothing of the work may have ended in a dead-letter queue: each holds what could never be done. */
    private void noDeadLetters() {
        Map<String, Integer> dead = new LinkedHashMap<>();
        run.queueDepths().forEach((queue, depth) -> {
            if (queue.endsWith("-dlq") && depth > 0) {
                dead.put(queue, depth);
            }
        });
        rows.put("dead letters", dead.isEmpty() ? "0" : dead.toString());
        dead.forEach((queue, depth) -> problems.add(depth + " dead letter(s) in " + queue));
    }

    private void summary(Duration took) {
        JsonNode stats = run.sandboxAdmin().stats().path("tenants").path(tenantId == null ? "" : tenantId);
        JsonNode budget = tenantId == null ? JSON.createObjectNode() : gateway.expect(200, gateway.send("GET", "/v1/xero/connection", staff, null)).path("budget");
        rows.put("Xero calls used (app)", stats.path("appCalls").asText("0") + "  (finance's own: " + stats.path("userCalls").asText("0")
                + "; 429s: " + stats.path("rateLimited").toString() + ")");
        rows.put("budget left", budget.path("dayRemaining").asText("?") + " of the day, " + budget.path("minuteRemaining").asText("?")
                + " of the minute");
        rows.put("time taken", String.format("%.1f s", took.toMillis() / 1000.0));
        rows.put("result", problems.isEmpty() ? "OK: every learner's invoices equal Xero's" : "FAILED (" + problems.size() + " problems)");
        out.println();
        out.println("Demo summary");
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
        String rule = "-".repeat(width + 2) + "+" + "-".repeat(60);
        out.println(rule);
        rows.forEach((k, v) -> out.printf(" %-" + width + "s | %s%n", k, v));
        out.println(rule);
        problems.forEach(p -> out.println("  - " + p));
    }

    // ---- what DemoInvoices shares -------------------------------------------------------------

    void row(String name, String value) {
        rows.put(name, value);
    }

    void problem(String text) {
        problems.add(text);
    }

    GatewayClient gateway() {
        return gateway;
    }

    String staffToken() {
        return staff;
    }

    String adminToken() {
        return admin;
    }

    void step(String text) {
        out.println("== " + text);
    }

    private static final String[] FIRST = {"Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jia"};
    private static final String[] LAST = {"Lopez", "Nguyen", "Smith", "Okafor", "Kowalski", "Tanaka", "Haddad", "Moreau"};
}
