package org.lrm.xero.app.xero;

import org.lrm.xero.domain.connection.XeroScopes;

/**
 * The organisation's Xero connection lacks the scope this work needs (Xero answered 403
 * {@code AuthorizationUnsuccessful}, or the connection already says so). The connection itself is
 * fine: other work goes on, and this work waits in its queue until an admin connects again granting
 * the scope. Neither a failure nor a lost connection.
 */
public final class ScopeMissing extends RuntimeException {

    private final String orgId;
    private final XeroScopes.Need need;

    public ScopeMissing(String orgId, XeroScopes.Need need, String detail) {
        super("Xero connection of " + orgId + " lacks the scope for " + need.name().toLowerCase(java.util.Locale.ROOT)
                + ": " + detail, null, false, false);
        this.orgId = orgId;
        this.need = need;
    }

    public String orgId() {
        return orgId;
    }

    public XeroScopes.Need need() {
        return need;
    }
}
