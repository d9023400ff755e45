package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.RepoPaths;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.iam.CallLog;
import org.lrm.xero.testing.iam.FunctionPolicies;
import org.lrm.xero.testing.iam.PolicyStatement;
import org.lrm.xero.testing.iam.RolePolicy;

/**
 * Least privilege, proven from what the suite did: every function ran under its role in the other
 * integration tests, and each call was checked and recorded with the grants of
 * {@code infra/template.yaml} it used. Here every grant (one action on one resource of one
 * statement) must have been used by its function, and no call of the suite refused under a role
 * as the template declares it. It lists what each function used and names each unused grant.
 * It runs last ({@link LeastPrivilegeLast}) and only after the whole suite: alone it would find
 * every grant unused.
 */
@ExtendWith(AwsEmulator.class)
class LeastPrivilegeIT {

    @Test
    void everyGrantOfTheTemplateIsUsedAndEveryCallWasAllowed() throws IOException {
        List<String> notRun = integrationTestClasses().stream().filter(c -> !SuiteRecord.finishedClasses().contains(c)).toList();
        Assumptions.assumeTrue(notRun.isEmpty(), "judges the whole suite's calls; these did not run in this JVM: " + notRun);

        TemplateResources stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(AwsEmulator.clients());
        StringBuilder report = new StringBuilder();
        List<String> unused = new ArrayList<>();
        int grants = 0;
        for (String functionId : stack.functionIds()) {
            RolePolicy role = FunctionPolicies.of(stack, functionId);
            grants += role.declaredGrants().size();
            Map<String, CallLog.Use> uses = CallLog.uses(functionId);
            report.append(functionId).append('\n');
            CallLog.actions(functionId).forEach((call, count) -> report.append("  used    ").append(call)
                    .append("  (").append(count).append(" calls)\n"));
            for (PolicyStatement.Grant grant : role.declaredGrants()) {
                CallLog.Use use = uses.get(grant.key());
                if (use == null) {
                    unused.add(functionId + ": " + grant.origin() + " grants " + grant.action() + " on " + grant.resource());
                    report.append("  UNUSED  ").append(grant.origin()).append(": ").append(grant.action()).append(" on ")
                            .append(grant.resource()).append('\n');
                }
            }
        }
        List<CallLog.Refusal> refused = CallLog.refusals().stream().filter(r -> r.roleChange() == null).toList();
        Path file = RepoPaths.root().resolve("integration-tests/target/least-privilege.txt");
        Files.writeString(file, report);
        System.out.println("LEAST-PRIVILEGE functions=" + stack.functionIds().size() + " grants=" + grants + " unused=" + unused.size()
                + " refusedCalls=" + refused.size() + " (the list: " + file + ")\n" + report);

        assertThat(unused).as("grants of infra/template.yaml no function used in the suite").isEmpty();
        assertThat(refused).as("calls the suite's functions made that their roles refuse").isEmpty();
    }

    /** The integration test classes of this module, as failsafe finds them. */
    private static List<String> integrationTestClasses() throws IOException {
        Path classes = RepoPaths.root().resolve("integration-tests/target/test-classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith("IT.class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .filter(c -> !c.equals(LeastPrivilegeIT.class.getName())).collect(java.util.stream.Collectors.toCollection(TreeSet::new))
                    .stream().toList();
        }
    }
}
