package org.lrm.xero.cases;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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

    /** Puts the case's display name in front of the failure. */
    final class NamesTheFailingCase implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) {
            throw new AssertionError(context.getDisplayName() + " failed: " + failure, failure);
        }
    }
}
