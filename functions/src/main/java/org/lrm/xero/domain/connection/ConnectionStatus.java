package org.lrm.xero.domain.connection;

/** Where an organisation's Xero connection stands, as {@code GET /v1/xero/connection} shows it. */
public enum ConnectionStatus {
    CONNECTED,
    DISCONNECTED,
    /** Xero refused the refresh token or dropped the connection: an admin must connect again. */
    NEEDS_RECONNECT
}
