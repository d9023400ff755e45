package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.lrm.xero.testing.iam.CallLog;
import org.lrm.xero.testing.iam.FunctionRoles;

/**
 * The suite can fail on a permission: with one statement taken out of a worker's role (the
 * learner-sync worker's right to send to its dead-letter queue, which the template once lacked),
 * a representative integration test is run again and fails, its dead letters refused with
 * AccessDenied, as they would be in AWS. The same test passes in the suite with the role as declared.
 */
class IamEnforcementIT {

    private static final String WORKER = "LearnerSyncWorkerFunction";
    private static final String STATEMENT = "DeadLetters";
    private static final String REPRESENTATIVE =
            "org.lrm.xero.adapter.aws.RateBudgetIT#poisonMessagesLandInTheDlqWithTheirReasonAndReplayBringsThemBack";

    @Test
    void withoutOneStatementOfAWorkersRoleTheSuiteFailsWithAccessDenied() {
        int refusalsBefore = CallLog.refusals().size();
        FunctionRoles.changeEverywhere(WORKER, role -> role.without(STATEMENT));
        TestExecutionSummary summary;
        try {
            summary = run(REPRESENTATIVE);
        } finally {
            FunctionRoles.changeEverywhere(WORKER, null);
        }
        List<CallLog.Refusal> refused = CallLog.refusals().subList(refusalsBefore, CallLog.refusals().size());

        summary.getFailures().forEach(f -> System.out.println("IAM-ENFORCEMENT failed without " + WORKER + " " + STATEMENT
                + ": " + f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
        refused.forEach(r -> System.out.println("IAM-ENFORCEMENT AccessDenied: " + r));
        assertThat(summary.getTestsStartedCount()).isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).as("the representative test fails without the statement").isEqualTo(1);
        assertThat(refused).as("its calls refused with AccessDenied").isNotEmpty().allSatisfy(r -> {
            assertThat(r.functionId()).isEqualTo(WORKER);
            assertThat(r.action()).isEqualTo("sqs:SendMessage");
            assertThat(r.resource()).endsWith(":lrm-xero-dev-learner-sync-dlq");
            assertThat(r.roleChange()).contains(STATEMENT);
        });
    }

    private static TestExecutionSummary run(String method) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(method)).build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary);
        return summary.getSummary();
    }
}
