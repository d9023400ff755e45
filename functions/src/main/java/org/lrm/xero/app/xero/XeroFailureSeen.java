package org.lrm.xero.app.xero;

import java.time.Instant;

/**
 * Where it is kept that Xero is failing an organisation's calls (5xx, timeouts, the token endpoint
 * down), so the connection status shows it while the work backs off (the connection store
 * implements it; Xero's next answer with counters clears it).
 */
public interface XeroFailureSeen {

    /** Nowhere: for tests that look at no connection status. */
    XeroFailureSeen NOWHERE = (orgId, tenantId, error, at) -> {
    };

    void failing(String orgId, String tenantId, String error, Instant at);
}
