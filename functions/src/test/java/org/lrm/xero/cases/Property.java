package org.lrm.xero.cases;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * A property: checked once for each case of the method's {@code @MethodSource} (built with
 * {@link GeneratedCases}). A failing case's message starts with the case's name (seed, case number,
 * arguments), since test reports name a parameterised invocation by its index only.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@ExtendWith(Property.NamesTheFailingCase.class)
public @interface Property {

    /**
     * Puts the case's display name in front of the failure, and writes the failure's message in
     * printable ASCII: it quotes the generated values, which may be anything.
     */
    final class NamesTheFailingCase implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) {
            String message = Arrays.stream(failure.toString().split("\n"))
                    .map(line -> GeneratedCases.escape(line, '\0')).collect(Collectors.joining("\n"));
            AssertionError named = new AssertionError(context.getDisplayName() + " failed: " + message, failure.getCause());
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }
    }
}
