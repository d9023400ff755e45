package org.lrm.xero.adapter.xero;

import java.net.URI;
import java.util.Objects;

/**
 * Where Xero lives. In production: identity https://identity.xero.com, api https://api.xero.com,
 * login https://login.xero.com; against the sandbox all three are its one base URI.
 *
 * @param identity base of {@code /connect/token} and {@code /connect/revocation}
 * @param api base of {@code /connections} and {@code /api.xro/2.0}
 * @param login base of {@code /identity/connect/authorize}
 */
public record XeroEndpoints(URI identity, URI api, URI login) {

    public XeroEndpoints {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(login, "login");
    }

    public static XeroEndpoints production() {
        return new XeroEndpoints(URI.create("https://identity.xero.com"), URI.create("https://api.xero.com"),
                URI.create("https://login.xero.com"));
    }

    /** All three on one base URI, as the Xero sandbox serves them. */
    public static XeroEndpoints single(URI base) {
        return new XeroEndpoints(base, base, base);
    }

    URI tokenUri() {
        return resolve(identity, "/connect/token");
    }

    URI revocationUri() {
        return resolve(identity, "/connect/revocation");
    }

    URI authorizeUri() {
        return resolve(login, "/identity/connect/authorize");
    }

    URI connectionsUri() {
        return resolve(api, "/connections");
    }

    URI accounting(String pathAndQuery) {
        return resolve(api, "/api.xro/2.0" + pathAndQuery);
    }

    static URI resolve(URI base, String pathAndQuery) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }
}
