package org.lrm.xero.infra;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Which test classes ran in this JVM (registered with the JUnit launcher through its service file),
 * so that {@link LeastPrivilegeIT}, which judges the template by what the whole suite's functions
 * did, can tell a whole run from one class run alone.
 */
public final class SuiteRecord implements TestExecutionListener {

    private static final Set<String> FINISHED = ConcurrentHashMap.newKeySet();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        test.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName())
                .ifPresent(FINISHED::add);
    }

    /** The test classes that ran to their end in this JVM so far. */
    static Set<String> finishedClasses() {
        return Set.copyOf(FINISHED);
    }
}
