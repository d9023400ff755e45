package org.lrm.xero.app.xero;

import org.lrm.xero.domain.connection.XeroScopes;

/**
 * Valid Xero access tokens for an organisation's connection. The implementation refreshes a token
 * once per connection at a time across every Lambda instance, and stores the rotated refresh
 * token before the new access token is used (Xero rotates refresh tokens on every refresh).
 */
public interface AccessTokens {

    /**
     * A usable access token for the organisation, refreshed first when it expires soon.
     *
     * @throws ConnectionUnavailable when the organisation is not connected or must reconnect
     */
    String accessToken(String orgId);

    /**
     * Xero answered 401 to {@code rejectedAccessToken}: a new token, refreshing only if nobody
     * else has already replaced the rejected one.
     *
     * @throws ConnectionUnavailable when the refresh is refused ({@code invalid_grant})
     */
    String renewAfterUnauthorized(String orgId, String rejectedAccessToken);

    /** Xero says the connection is gone (403 on use, revoked): the organisation must reconnect. */
    void connectionLost(String orgId, String reason);

    /**
     * Xero says the grant lacks the scope of a need (403 {@code AuthorizationUnsuccessful}): the connection
     * says which scope to grant, and stays connected for the rest.
     */
    void scopeMissing(String orgId, XeroScopes.Need need, String reason);
}
