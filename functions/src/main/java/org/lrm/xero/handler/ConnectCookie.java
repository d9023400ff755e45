package org.lrm.xero.handler;

import java.time.Duration;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.domain.connection.BrowserNonce;

/**
 * The cookie that ties a connect to the admin's browser: set by {@code GET /v1/xero/connect} (both its 302
 * and its JSON answer), read by {@code GET /v1/xero/callback}. {@code __Host-} makes browsers accept it only
 * Secure, for this host alone and path {@code /} (no sibling domain can plant one); HttpOnly keeps it from
 * scripts; SameSite=Lax still sends it on Xero's top-level redirect back to the callback. The callback must
 * therefore come back to the host that answered the connect: {@code PublicBaseUrl} (the console's origin
 * when CloudFront serves it, see the README) or the request's own host.
 */
final class ConnectCookie {

    static final String NAME = "__Host-xero-connect";
    /** As long as a connect's state lives: the cookie is useless afterwards. */
    private static final Duration MAX_AGE = XeroConnections.STATE_LIFETIME;

    private ConnectCookie() {
    }

    /** The {@code Set-Cookie} value carrying the nonce. */
    static String set(BrowserNonce nonce) {
        return NAME + "=" + nonce.value() + "; Max-Age=" + MAX_AGE.toSeconds() + "; Path=/; Secure; HttpOnly; SameSite=Lax";
    }
}
