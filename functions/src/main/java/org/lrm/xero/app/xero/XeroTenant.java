package org.lrm.xero.app.xero;

import java.util.Objects;

/**
 * An organisation's connected Xero tenant: whose access token and whose share of Xero's call
 * budget a call uses.
 */
public record XeroTenant(String orgId, String tenantId) {

    public XeroTenant {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(tenantId, "tenantId");
    }
}
