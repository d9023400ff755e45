package org.lrm.xero.app.xero;

/**
 * The organisation cannot call Xero now: never connected, disconnected, or waiting for an admin
 * to reconnect. Work for it waits in its queue (it is neither failed nor dead-lettered).
 */
public final class ConnectionUnavailable extends RuntimeException {

    private final String orgId;
    private final String status;

    public ConnectionUnavailable(String orgId, String status, String reason) {
        super("Xero connection of " + orgId + " is " + status + ": " + reason);
        this.orgId = orgId;
        this.status = status;
    }

    public String orgId() {
        return orgId;
    }

    /** DISCONNECTED or NEEDS_RECONNECT. */
    public String status() {
        return status;
    }
}
