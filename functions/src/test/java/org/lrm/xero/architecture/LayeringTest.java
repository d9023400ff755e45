package org.lrm.xero.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The layout is the architecture: these rules keep it so as the code grows (see {@link LayeringRules}).
 * Each rule is checked against the compiled main classes, and shown to fail on a planted violation
 * (the classes under {@code architecture.planted}, laid out as the real packages are).
 */
class LayeringTest {

    private static final String ROOT = "org.lrm.xero";
    private static final String PLANTED = ROOT + ".architecture.planted";

    /** The functions' own classes (not the sandbox's, which is a jar; not the tests'). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(ROOT);
    private static final JavaClasses PLANTED_CLASSES = new ClassFileImporter().importPackages(PLANTED);

    @Test
    void theDomainIsPlainJava() {
        LayeringRules.domainIsPlainJava(ROOT).check(MAIN);
    }

    @Test
    void useCasesSpeakOnlyToPorts() {
        LayeringRules.useCasesSpeakToPorts(ROOT).check(MAIN);
    }

    @Test
    void adaptersDoNotKnowHandlers() {
        LayeringRules.adaptersDoNotKnowHandlers(ROOT).check(MAIN);
    }

    @Test
    void onlyTheRootsReadTheEnvironment() {
        LayeringRules.onlyTheRootsReadTheEnvironment(ROOT).check(MAIN);
    }

    @Test
    void theRulesSeeTheWholeCode() {
        // An import that found nothing would make every rule pass.
        assertThat(MAIN.containPackage(ROOT + ".domain.invoice")).isTrue();
        assertThat(MAIN.containPackage(ROOT + ".app.learner")).isTrue();
        assertThat(MAIN.containPackage(ROOT + ".adapter.xero")).isTrue();
        assertThat(MAIN.stream().noneMatch(c -> c.getPackageName().startsWith(PLANTED))).isTrue();
    }

    @Test
    void aDomainClassOnAWireDtoIsReported() {
        assertThat(violations(LayeringRules.domainIsPlainJava(PLANTED)))
                .contains("planted.domain.LeakyInvoice").contains("planted.adapter.WireInvoice")
                .doesNotContain("planted.domain.PlainInvoice");
    }

    @Test
    void aUseCaseOnAnAdapterOrALambdaEventIsReported() {
        assertThat(violations(LayeringRules.useCasesSpeakToPorts(PLANTED)))
                .contains("planted.app.LeakyUseCase").contains("planted.adapter.WireClient")
                .contains("com.amazonaws.services.lambda.runtime.events.SQSEvent")
                .doesNotContain("planted.app.PortUseCase");
    }

    @Test
    void anAdapterOnALambdaEventIsReported() {
        assertThat(violations(LayeringRules.adaptersDoNotKnowHandlers(PLANTED)))
                .contains("planted.adapter.WireClient").contains("APIGatewayV2HTTPEvent");
    }

    @Test
    void anAdapterReadingTheEnvironmentIsReported() {
        assertThat(violations(LayeringRules.onlyTheRootsReadTheEnvironment(PLANTED)))
                .contains("planted.adapter.EnvironmentReader").doesNotContain("planted.handler.PlantedSettings");
    }

    /** The rule's report on the planted classes, which must have failed. */
    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(PLANTED_CLASSES);
        assertThat(result.hasViolation()).as("%s on the planted classes", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
