package org.lrm.xero.app.connection;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.domain.connection.ReturnUrl;

/**
 * How a Xero callback ended, for the admin's browser: {@code xero=connected} or {@code xero=error} with a
 * machine {@code reason} and a sentence for people. {@code returnTo} is null when the callback could not
 * be tied to a connect this browser started (unknown, used or expired state, another browser): the
 * stored {@code returnTo} is then not this browser's to follow, and the caller sends it to the configured
 * LRM page or shows a page of its own.
 */
public record CallbackOutcome(URI returnTo, boolean connected, String reason, String message, String tenantName,
        List<String> missingScopes) {

    public CallbackOutcome {
        missingScopes = missingScopes == null ? List.of() : List.copyOf(missingScopes);
    }

    static CallbackOutcome failed(URI returnTo, String reason, String message) {
        return new CallbackOutcome(returnTo, false, reason, message, null, List.of());
    }

    static CallbackOutcome succeeded(URI returnTo, String tenantName, List<String> missingScopes) {
        return new CallbackOutcome(returnTo, true, null, null, tenantName, missingScopes);
    }

    /** The outcome's query parameters. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("xero", connected ? "connected" : "error");
        p.put("reason", reason);
        p.put("message", message);
        p.put("tenantName", tenantName);
        p.put("missingScopes", missingScopes.isEmpty() ? null : String.join(" ", missingScopes));
        return p;
    }

    /** False when the callback could not be tied to a connect this browser started. */
    public boolean trusted() {
        return returnTo != null;
    }

    /** Where to send the browser back, given a place to go when the state named none. */
    public String location(URI fallback) {
        return ReturnUrl.withOutcome(returnTo != null ? returnTo : fallback, parameters());
    }
}
