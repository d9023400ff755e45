package org.lrm.xero.adapter.xero;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.rate.RateBudget.Admission;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.xero.AccessTokens;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.LastBudgetSeen;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.app.xero.XeroFailureSeen;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Metrics;

/**
 * The one way the integration calls Xero's accounting API for an organisation: every method of
 * the Xero ports ({@link XeroApiContacts}, {@link XeroApiLedger}, {@link XeroApiPdfs}) makes its
 * calls through here. Each call takes its place in the tenant's shared budget first (or the work
 * waits), uses the organisation's current access token (renewed once on 401), gives the budget back
 * with Xero's counters whatever happens, and turns 429 into a wait and 403 into a lost connection,
 * unless Xero says only the scope of the resource is missing: then the connection says which scope,
 * stays connected, and only the work that needs that scope waits.
 */
public final class XeroGateway {

    private static final JsonLog LOG = JsonLog.forClass(XeroGateway.class);

    private final RateBudget budget;
    private final AccessTokens tokens;
    private final LastBudgetSeen lastBudgetSeen;
    private final XeroFailureSeen failureSeen;
    private final Clock clock;

    public XeroGateway(RateBudget budget, AccessTokens tokens, LastBudgetSeen lastBudgetSeen, Clock clock) {
        this(budget, tokens, lastBudgetSeen, XeroFailureSeen.NOWHERE, clock);
    }

    /** @param failureSeen told of each call Xero failed (5xx, timeout, no answer), for the connection status */
    public XeroGateway(RateBudget budget, AccessTokens tokens, LastBudgetSeen lastBudgetSeen, XeroFailureSeen failureSeen,
            Clock clock) {
        this.budget = budget;
        this.tokens = tokens;
        this.lastBudgetSeen = lastBudgetSeen;
        this.failureSeen = failureSeen;
        this.clock = clock;
    }

    /**
     * The value of a successful call.
     *
     * @throws WaitForBudget no budget now, or Xero answered 429
     * @throws ConnectionUnavailable the organisation must reconnect
     * @throws ScopeMissing the grant lacks the scope of the resource called
     * @throws XeroCallFailed any other answer; {@link XeroCallFailed#permanent()} for 400 and 404
     */
    public <T> T call(String orgId, String tenantId, Priority priority, String operation, Function<XeroCall, XeroResult<T>> op) {
        return valueOf(operation, attempt(orgId, tenantId, priority, operation, op));
    }

    /** {@link #call(String, String, Priority, String, Function)} for a tenant. */
    <T> T call(XeroTenant tenant, Priority priority, String operation, Function<XeroCall, XeroResult<T>> op) {
        return call(tenant.orgId(), tenant.tenantId(), priority, operation, op);
    }

    /**
     * Like {@link #call} but hands back Xero's answer for callers that handle some failures
     * themselves (a 404 for a PDF, a failed page). Never returns 401, 403 or 429: throws as {@link #call} does.
     */
    public <T> XeroResult<T> attempt(String orgId, String tenantId, Priority priority, String operation,
            Function<XeroCall, XeroResult<T>> op) {
        String token = tokens.accessToken(orgId);
        XeroResult<T> result = once(orgId, tenantId, priority, operation, token, op);
        if (result instanceof XeroResult.Unauthorized<T>) {
            // The access token was refused (expired by Xero's clock before ours, or revoked): renewed once. The
            // refused call took its place in the budget, as every call does; whether Xero counts a 401 against
            // its limits it does not document (the sandbox does not), so ours may run ahead by these.
            LOG.warn("xero.unauthorized", "orgId", orgId, "tenantId", tenantId, "operation", operation);
            String renewed = tokens.renewAfterUnauthorized(orgId, token);
            result = once(orgId, tenantId, priority, operation, renewed, op);
        }
        if (result instanceof XeroResult.Forbidden<T> forbidden) {
            XeroScopes.Need need = forbidden.scopeMissing() ? XeroScopes.neededFor(XeroClient.resourceOf(forbidden.endpoint())) : null;
            if (need != null) {
                tokens.scopeMissing(orgId, need, "Xero refused " + operation + " (403 " + forbidden.detail() + ")");
                throw new ScopeMissing(orgId, need, "Xero answered 403 " + forbidden.detail() + " to " + operation);
            }
            tokens.connectionLost(orgId, "Xero answered 403 to " + operation);
            throw new ConnectionUnavailable(orgId, "NEEDS_RECONNECT", "Xero answered 403: " + forbidden.detail());
        }
        return result;
    }

    /** {@link #attempt(String, String, Priority, String, Function)} for a tenant. */
    <T> XeroResult<T> attempt(XeroTenant tenant, Priority priority, String operation, Function<XeroCall, XeroResult<T>> op) {
        return attempt(tenant.orgId(), tenant.tenantId(), priority, operation, op);
    }

    /**
     * The value of an answer {@link #attempt} handed back.
     *
     * @throws XeroCallFailed for anything but success; {@link XeroCallFailed#permanent()} for 400 and 404
     */
    static <T> T valueOf(String operation, XeroResult<T> result) {
        if (result instanceof XeroResult.Ok<T> ok) {
            return ok.value();
        }
        if (result instanceof XeroResult.ValidationFailed<T> failed) {
            throw new XeroCallFailed(operation, true, String.join("; ", failed.messages()));
        }
        if (result instanceof XeroResult.NotFound<T> notFound) {
            throw new XeroCallFailed(operation, true, "not found: " + notFound.what());
        }
        throw new XeroCallFailed(operation, false, result.toString());
    }

    private <T> XeroResult<T> once(String orgId, String tenantId, Priority priority, String operation, String token,
            Function<XeroCall, XeroResult<T>> op) {
        Admission admission = budget.acquire(tenantId, priority);
        if (admission instanceof Admission.Wait wait) {
            throw new WaitForBudget(wait.duration(), wait.reason());
        }
        RateBudget.Lease lease = ((Admission.Granted) admission).lease();
        RateHeaders rate = RateHeaders.NONE;
        XeroResult<T> result;
        try {
            result = op.apply(new XeroCall(tenantId, token));
            rate = rateOf(result);
        } finally {
            budget.release(lease, rate.remaining());
        }
        Map<String, String> tenant = Map.of("TenantId", tenantId);
        Metrics.emit(tenant, Metrics.count("XeroCallCount", 1));
        if (rate.minuteRemaining() != null && rate.dayRemaining() != null) {
            Metrics.emit(tenant, Metrics.count("XeroMinuteRemaining", rate.minuteRemaining()),
                    Metrics.count("XeroDayRemaining", rate.dayRemaining()));
            lastBudgetSeen.seen(orgId, tenantId, rate.remaining(), clock.instant());
        }
        if (result instanceof XeroResult.Transient<T> || result instanceof XeroResult.UnexpectedResponse<T>) {
            // Xero failing, not refusing: the work backs off (WorkOutcome.XeroFailing) and the connection says so.
            Metrics.emit(tenant, Metrics.count("XeroFailed", 1));
            LOG.warn("xero.failed", "orgId", orgId, "tenantId", tenantId, "operation", operation, "outcome", result.toString());
            failureSeen.failing(orgId, tenantId, operation + ": " + result, clock.instant());
        }
        if (result instanceof XeroResult.RateLimited<T> limited) {
            String problem = limited.problem() == null ? "unknown" : limited.problem();
            Map<String, String> dimensions = new LinkedHashMap<>(tenant);
            dimensions.put("Problem", problem);
            Metrics.emit(dimensions, Metrics.count("XeroRateLimited", 1));
            Admission.Wait wait = budget.onRateLimited(tenantId, limited.problem(), limited.retryAfter());
            LOG.warn("xero.rateLimited", "orgId", orgId, "tenantId", tenantId, "operation", operation, "problem", problem,
                    "waitSeconds", wait.duration().toSeconds());
            throw new WaitForBudget(wait.duration(), wait.reason());
        }
        return result;
    }

    private static RateHeaders rateOf(XeroResult<?> result) {
        if (result instanceof XeroResult.Ok<?> ok) {
            return ok.rate();
        }
        if (result instanceof XeroResult.RateLimited<?> limited) {
            return limited.rate();
        }
        if (result instanceof XeroResult.ValidationFailed<?> failed) {
            return failed.rate();
        }
        return RateHeaders.NONE;
    }
}
