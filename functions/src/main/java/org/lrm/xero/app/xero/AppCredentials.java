package org.lrm.xero.app.xero;

import java.util.Objects;

/**
 * The integration's Xero app. {@code clientSecret} may be null for a PKCE-only app.
 * {@link #toString()} never shows the secret.
 */
public record AppCredentials(String clientId, String clientSecret) {

    public AppCredentials {
        Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public String toString() {
        return "AppCredentials[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***") + "]";
    }
}
