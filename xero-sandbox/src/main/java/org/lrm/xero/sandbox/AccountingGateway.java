package org.lrm.xero.sandbox;

import org.lrm.xero.sandbox.Identity.Access;
import org.lrm.xero.sandbox.Identity.App;

import java.time.Instant;
import java.util.List;

/**
 * What every call to the Accounting API (api.xro/2.0) passes before it reaches a resource, in Xero's order: the
 * bearer token (401), the tenant it names and the token reaches (403), the scope of the resource (403), then for an
 * app's token the limits (429) and the fault knobs; then an Idempotency-Key replay, or the resource under the
 * tenant's lock. A person's token (finance working in Xero) is neither limited nor faulted.
 */
final class AccountingGateway {
    private final SandboxClock clock;
    private final Identity identity;
    private final Tenants tenants;
    private final RateLimits limits;
    private final Faults faults;
    private final Idempotency idempotency;
    private final Accounting accounting;

    AccountingGateway(SandboxClock clock, Identity identity, Tenants tenants, RateLimits limits, Faults faults, Accounting accounting) {
        this.clock = clock;
        this.identity = identity;
        this.tenants = tenants;
        this.limits = limits;
        this.faults = faults;
        this.idempotency = new Idempotency(clock);
        this.accounting = accounting;
    }

    /**
     * The longest query string Xero's front door takes: 2,048 characters as sent (IIS's default {@code maxQueryString};
     * XeroAPI/Xero-Net #280 shows IIS's "404.15 query string too long" page). Longer ones get Xero's 404 before the
     * API sees them, e.g. an {@code IDs} filter of 53 or more GUIDs with encoded commas, 56 or more with plain ones
     * (XeroAPI/xero-node #404: 52 pass, 53 fail; XeroAPI/Xero-NetStandard #413 and #471; Xero-OpenAPI #534).
     */
    static final int MAX_QUERY_LENGTH = 2048;

    /** @param in routed below /api.xro/2.0 */
    Resp handle(Request in) throws InterruptedException {
        // Refused at the front door: no token check, nothing counted against the limits.
        if (in.rawQuery() != null && in.rawQuery().length() > MAX_QUERY_LENGTH) throw XeroError.notFound();
        Access a = identity.authenticate(in.header("authorization"));
        Tenant t = tenants.find(in.header("xero-tenant-id"));
        if (t == null || !identity.tenantsOf(a).contains(t.id)) throw XeroError.problem(403, "Forbidden", "AuthenticationUnsuccessful");
        List<String> path = in.segments();
        if (!Scopes.allow(a, path.isEmpty() ? "" : path.get(0), in.isGet())) throw XeroError.problem(403, "Forbidden", "AuthorizationUnsuccessful");

        if (a.user()) {
            t.stats.userCalls.incrementAndGet();
            return execute(in, t, "user", null);
        }
        App app = identity.apps.get(a.clientId());
        Instant now = clock.now();
        Faults.Settings f = faults.current();
        return limits.admit(app, t, now, f.takeForcedRateLimit(), () -> {
            t.stats.appCall(endpoint(in), now);
            return execute(in, t, app.clientId, f);
        });
    }

    /** The call's endpoint as /sandbox/stats counts it, e.g. {@code GET /Invoices/{id}}. */
    private static String endpoint(Request in) {
        List<String> path = in.segments();
        return in.method() + " /" + (path.isEmpty() ? "" : Accounting.canonicalName(path.get(0)))
                + (path.size() > 1 ? "/{id}" : "") + (path.size() > 2 ? "/" + path.get(2) : "");
    }

    /** @param f the fault settings of an app's call, null for a person's */
    private Resp execute(Request in, Tenant t, String caller, Faults.Settings f) throws InterruptedException {
        String replayScope = Idempotency.scope(in, caller);
        if (replayScope != null) {
            Resp prior = idempotency.replay(t, replayScope);
            if (prior != null) return prior;
        }
        if (f != null) {
            List<String> path = in.segments();
            Resp fault = faults.inject(f, t, path.isEmpty() ? "" : path.get(0));
            if (fault != null) return fault;
        }
        Resp r;
        try {
            synchronized (t) {
                r = accounting.handle(t, in);
            }
        } catch (XeroError e) {
            r = e.resp;
        }
        if (replayScope != null) idempotency.remember(t, replayScope, r);
        return r;
    }
}
