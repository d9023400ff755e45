package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.TokenRefreshFailed;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.domain.connection.BrowserNonce;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.LrmOrigins;
import org.lrm.xero.domain.connection.ReturnUrl;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;

/**
 * {@code GET /v1/xero/connect}, {@code GET /v1/xero/connection} and {@code DELETE /v1/xero/connection}.
 * A connect returns only to the configured LRM origins ({@code LRM_ORIGINS}) and binds its state to the
 * browser that asked, through {@link ConnectCookie}.
 */
public final class ConnectionApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final XeroConnections connections;
    private final String configuredRedirectUri;
    private final LrmOrigins lrmOrigins;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public ConnectionApiHandler() {
        this(ConnectionRoot.fromEnvironment());
    }

    public ConnectionApiHandler(ConnectionRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        this.connections = root.connections();
        this.configuredRedirectUri = root.settings().oauthRedirectUri();
        this.lrmOrigins = root.settings().lrmOrigins();
        this.router = new ApiRouter()
                .route("GET /v1/xero/connect", this::connect)
                .route("GET /v1/xero/connection", this::status)
                .route("DELETE /v1/xero/connection", this::disconnect);
        primeWith("GET /v1/xero/connection", PrimingEvents.request("GET /v1/xero/connection"), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private APIGatewayV2HTTPResponse connect(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireAdmin();
        URI returnTo = ReturnUrl.parse(request.query("returnTo"));
        if (returnTo == null) {
            throw ApiProblem.validation(List.of(new FieldError("returnTo", "must be an absolute http or https URL")));
        }
        if (!lrmOrigins.allows(returnTo)) {
            throw ApiProblem.validation(List.of(new FieldError("returnTo", lrmOrigins.isEmpty()
                    ? "cannot be accepted: no LRM origins are configured (LRM_ORIGINS)"
                    : "must be on one of the configured LRM origins: " + String.join(", ", lrmOrigins.list()))));
        }
        // A second connect from the same browser (another tab) keeps its nonce, so both can finish.
        BrowserNonce browser = BrowserNonce.parse(request.cookie(ConnectCookie.NAME)).orElseGet(BrowserNonce::fresh);
        URI authorize = connections.connect(caller.orgId(), caller.userId(), returnTo, redirectUri(request), browser);
        return ApiResponses.withCookie(ApiResponses.redirectOrLink(request, "authorizeUrl", authorize.toString()),
                ConnectCookie.set(browser));
    }

    /**
     * Where Xero sends the browser back: the configured redirect URI, else this request's own host. Behind
     * CloudFront (the console's origin) the host API Gateway sees is its own, not the browser's, so the
     * connect cookie would never come back with the callback: a configured one is required there.
     */
    private URI redirectUri(ApiRequest request) {
        if (configuredRedirectUri != null) {
            return URI.create(configuredRedirectUri);
        }
        if (request.header("x-amz-cf-id") != null) {
            throw new ApiProblem(500, "internal", "Internal error",
                    "The API is reached through CloudFront but PublicBaseUrl is not set: set it to the console's origin "
                            + "so that Xero sends the browser back to the origin that started the connect.", null, null);
        }
        return URI.create("https://" + request.host() + "/v1/xero/callback");
    }

    private APIGatewayV2HTTPResponse status(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        return ApiResponses.json(200, connections.status(caller.orgId()).map(ConnectionView::of)
                .orElseGet(ConnectionView::never));
    }

    private APIGatewayV2HTTPResponse disconnect(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireAdmin();
        try {
            connections.disconnect(caller.orgId(), caller.userId());
        } catch (TokenRefreshFailed busy) {
            throw new ApiProblem(503, "xero-unavailable", "Xero unavailable",
                    "Another change to the Xero connection is under way; nothing was changed. Try again in a minute.",
                    null, Map.of("retryAfterSeconds", 60));
        }
        return ApiResponses.empty(204);
    }

    /** The status body of the API contract; fields without a value are there as null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ConnectionView(ConnectionStatus status, String tenantId, String tenantName, Instant connectedAt,
            String lastError, Instant lastErrorAt, Budget budget, List<String> scopes, List<String> missingScopes,
            Instant xeroFailingSince, String lastXeroError) {

        @JsonInclude(JsonInclude.Include.ALWAYS)
        record Budget(Integer minuteRemaining, Integer dayRemaining, Instant at) {
        }

        static ConnectionView of(ConnectionRecord c) {
            return new ConnectionView(c.status(), c.tenantId(), c.tenantName(), c.connectedAt(), c.lastError(),
                    c.lastErrorAt(), new Budget(c.minuteRemaining(), c.dayRemaining(), c.budgetAt()), c.scopes(),
                    c.missingScopes(), c.xeroFailingSince(), c.lastXeroError());
        }

        static ConnectionView never() {
            return new ConnectionView(ConnectionStatus.DISCONNECTED, null, null, null, null, null,
                    new Budget(null, null, null), List.of(), List.of(), null, null);
        }
    }
}
