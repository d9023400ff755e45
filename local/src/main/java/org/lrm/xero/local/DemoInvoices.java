package org.lrm.xero.local;

import java.io.PrintStream;
import java.util.Map;

/** The demo's second half: finance invoices the synced learners in Xero; the integration brings it all back. */
final class DemoInvoices {

    private final LocalRun run;
    private final Demo demo;
    private final PrintStream out;

    DemoInvoices(LocalRun run, Demo demo, String tenantId, Map<String, String> contactOfLearner, PrintStream out) {
        this.run = run;
        this.demo = demo;
        this.out = out;
    }

    void run() {
        if (!run.serves("GET /v1/learners/{learnerId}/invoices")) {
            demo.step("invoices: skipped, the invoice functions (issue 7) are not built yet");
            demo.problem("invoices not checked: the invoice functions (issue 7) are not built yet");
        }
    }
}
