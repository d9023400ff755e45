package org.lrm.xero.sandbox;

import org.lrm.xero.sandbox.Identity.Access;
import org.lrm.xero.sandbox.Identity.App;

import java.util.List;

/** api.xero.com/connections: the tenants an app's token reaches (GET, optionally by {@code authEventId}) and disconnecting one (DELETE). */
final class Connections {
    private final SandboxClock clock;
    private final Identity identity;
    private final RateLimits limits;

    Connections(SandboxClock clock, Identity identity, RateLimits limits) { this.clock = clock; this.identity = identity; this.limits = limits; }

    /** @param in routed below /connections: no segment (GET) or the connection's id (DELETE) */
    Resp handle(Request in) {
        Access a = identity.authenticate(in.header("authorization"));
        if (a.user()) throw XeroError.problem(403, "Forbidden", "AuthenticationUnsuccessful");
        App app = identity.apps.get(a.clientId());
        List<String> rest = in.segments();
        Resp r;
        if (rest.isEmpty() && in.isGet()) {
            r = Resp.json(200, identity.connections(app, in.query().get("authEventId")));
        } else if (rest.size() == 1 && in.method().equals("DELETE")) {
            r = identity.disconnect(app, rest.get(0)) ? Resp.empty(204) : Resp.empty(404);
        } else {
            throw XeroError.notFound();
        }
        return limits.connectionsCall(app, clock.now(), r);
    }
}
