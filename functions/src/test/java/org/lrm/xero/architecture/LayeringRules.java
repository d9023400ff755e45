package org.lrm.xero.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The layering of the functions, as rules over a root package: handler → app (use cases and their
 * ports) → adapters (one per outside system), and a domain of plain Java. The same rules check the
 * real code ({@code org.lrm.xero}) and, in {@link LayeringTest}, a small planted copy of the layout
 * that breaks each of them, so that a rule that could never fail would be noticed.
 */
final class LayeringRules {

    /** AWS's SDK and Lambda's event classes. */
    private static final String[] AWS = {"software.amazon..", "com.amazonaws.."};
    /** HTTP clients and servers. */
    private static final String[] HTTP = {"java.net.http..", "com.sun.net.httpserver.."};

    private LayeringRules() {
    }

    /** The domain is plain Java: no use case, adapter, handler or HTTP layer, no AWS, no HTTP client. */
    static ArchRule domainIsPlainJava(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(
                        new String[] {root + ".app..", root + ".adapter..", root + ".handler..", root + ".http.."}, AWS, HTTP))
                .as("the domain (" + root + ".domain) depends on no outer layer, AWS or HTTP library");
    }

    /** Use cases speak to ports: no adapter, no handler, no AWS SDK or Lambda event. */
    static ArchRule useCasesSpeakToPorts(String root) {
        return noClasses().that().resideInAPackage(root + ".app..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(
                        new String[] {root + ".adapter..", root + ".handler..", root + ".http.."}, AWS))
                .as("the use cases (" + root + ".app) depend on no adapter, handler, AWS SDK or Lambda event");
    }

    /**
     * Adapters serve the app: they never reach back into the handlers, the HTTP layer or the HTTP
     * API's events (the SQS adapter does read Lambda's SQS events: delivering them is its job).
     */
    static ArchRule adaptersDoNotKnowHandlers(String root) {
        return noClasses().that().resideInAPackage(root + ".adapter..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".handler..", root + ".http..")
                .orShould().dependOnClassesThat(resideInAPackage("com.amazonaws.services.lambda.runtime.events..")
                        .and(simpleNameStartingWith("APIGateway")))
                .as("the adapters (" + root + ".adapter) depend on no handler, HTTP layer or API Gateway event");
    }

    /**
     * Every environment variable is read once, by a function's composition root ({@code handler.Settings}):
     * nothing outside the handler layer reads {@code support.Environment}.
     */
    static ArchRule onlyTheRootsReadTheEnvironment(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".handler..", root + ".support..")
                .should().dependOnClassesThat().haveFullyQualifiedName(root + ".support.Environment")
                .as("only the composition roots (" + root + ".handler) read " + root + ".support.Environment");
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
