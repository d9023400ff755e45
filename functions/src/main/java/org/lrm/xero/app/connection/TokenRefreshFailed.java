package org.lrm.xero.app.connection;

/**
 * Tokens could not be refreshed now for a passing reason (Xero unreachable, another refresh still
 * running): the work should be retried later. The connection itself is fine.
 */
public final class TokenRefreshFailed extends RuntimeException {

    private final String orgId;

    public TokenRefreshFailed(String orgId, String reason) {
        super("Xero tokens of " + orgId + " could not be refreshed now: " + reason);
        this.orgId = orgId;
    }

    public String orgId() {
        return orgId;
    }
}
