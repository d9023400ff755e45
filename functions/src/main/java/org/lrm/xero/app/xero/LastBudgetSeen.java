package org.lrm.xero.app.xero;

import java.time.Instant;
import org.lrm.xero.domain.rate.Remaining;

/**
 * Where the last budget Xero reported for an organisation is kept, so the admin screen can show
 * it without a call to Xero (the connection store implements it).
 */
public interface LastBudgetSeen {

    /** Nowhere: for functions that show no budget. */
    LastBudgetSeen NOWHERE = (orgId, tenantId, rate, at) -> {
    };

    void seen(String orgId, String tenantId, Remaining remaining, Instant at);
}
