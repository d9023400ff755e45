package org.lrm.xero.app.connection;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A connect started by an admin and not completed yet: bound to the organisation and user, to the
 * admin's browser (the hash of the nonce its cookie carries), with where to send the browser back and
 * the PKCE verifier the code exchange needs. Stored under the state's hash; {@link #toString()} hides
 * the verifier.
 */
public record PendingAuthorization(String stateHash, String orgId, String userId, String browserHash, URI returnTo,
        URI redirectUri, String codeVerifier, List<String> scopes, Instant expiresAt) {

    public PendingAuthorization {
        scopes = List.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "PendingAuthorization[orgId=" + orgId + ", userId=" + userId + ", returnTo=" + returnTo
                + ", redirectUri=" + redirectUri + ", codeVerifier=***, scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }
}
