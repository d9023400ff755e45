package org.lrm.xero.handler;

import java.util.Map;
import org.lrm.xero.support.Environment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.ReturnUrl;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;

/** {@code GET /v1/xero/connect}, {@code GET /v1/xero/connection} and {@code DELETE /v1/xero/connection}. */
public final class ConnectionApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final XeroConnections connections;
    private final String configuredRedirectUri;
    private final ApiRouter router;

    public ConnectionApiHandler() {
        this(ConnectionComponents.fromEnvironment(true).connections(), Settings.fromEnvironment(Environment.current()));
        SnapStartPriming.api(this, "GET /v1/xero/connection", Map.of());
    }

    public ConnectionApiHandler(XeroConnections connections, Settings settings) {
        super(APIGatewayV2HTTPEvent.class);
        this.connections = connections;
        this.configuredRedirectUri = settings.oauthRedirectUri();
        this.router = new ApiRouter()
                .route("GET /v1/xero/connect", this::connect)
                .route("GET /v1/xero/connection", this::status)
                .route("DELETE /v1/xero/connection", this::disconnect);
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
        URI redirect = configuredRedirectUri != null ? URI.create(configuredRedirectUri)
                : URI.create("https://" + request.host() + "/v1/xero/callback");
        return ApiResponses.redirectOrLink(request, "authorizeUrl",
                connections.connect(caller.orgId(), caller.userId(), returnTo, redirect).toString());
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
        connections.disconnect(caller.orgId(), caller.userId());
        return ApiResponses.empty(204);
    }

    /** The status body of the API contract; fields without a value are there as null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ConnectionView(ConnectionStatus status, String tenantId, String tenantName, Instant connectedAt,
            String lastError, Instant lastErrorAt, Budget budget, List<String> scopes, List<String> missingScopes) {

        @JsonInclude(JsonInclude.Include.ALWAYS)
        record Budget(Integer minuteRemaining, Integer dayRemaining, Instant at) {
        }

        static ConnectionView of(ConnectionRecord c) {
            return new ConnectionView(c.status(), c.tenantId(), c.tenantName(), c.connectedAt(), c.lastError(),
                    c.lastErrorAt(), new Budget(c.minuteRemaining(), c.dayRemaining(), c.budgetAt()), c.scopes(),
                    c.missingScopes());
        }

        static ConnectionView never() {
            return new ConnectionView(ConnectionStatus.DISCONNECTED, null, null, null, null, null,
                    new Budget(null, null, null), List.of(), List.of());
        }
    }
}
