package org.lrm.xero.infra;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs {@link LeastPrivilegeIT} after every other integration test class, which keep the order
 * they were found in: it judges the template by the calls the others made (failsafe's
 * {@code junit.jupiter.testclass.order.default}).
 */
public final class LeastPrivilegeLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(d -> d.getTestClass() == LeastPrivilegeIT.class));
    }
}
