package org.lrm.xero.app.xero;

/**
 * One Xero tenant an authorization connected the app to.
 *
 * @param connectionId Xero's id of the connection (to disconnect it)
 */
public record TenantConnection(String connectionId, String tenantId, String tenantName) {
}
