package org.lrm.xero.handler;

import java.util.Map;
import org.lrm.xero.support.Environment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import org.lrm.xero.app.connection.CallbackOutcome;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.domain.connection.ReturnUrl;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;

/**
 * {@code GET /v1/xero/callback}: Xero sends the admin's browser here (no LRM token; the state and PKCE
 * protect it). The browser goes back to the {@code returnTo} stored with the state, never to one taken
 * from the request. When the state is unknown there is none: then to {@code XERO_CONNECT_FALLBACK_URL}
 * if configured, else a problem+json page.
 */
public final class OAuthCallbackHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final XeroConnections connections;
    private final URI fallback;
    private final ApiRouter router;

    public OAuthCallbackHandler() {
        this(ConnectionComponents.fromEnvironment(false).connections(), Settings.fromEnvironment(Environment.current()));
        SnapStartPriming.api(this, "GET /v1/xero/callback", Map.of());
        SnapStartPriming.unknownCallback(this, "GET /v1/xero/callback");
    }

    public OAuthCallbackHandler(XeroConnections connections, Settings settings) {
        super(APIGatewayV2HTTPEvent.class);
        this.connections = connections;
        this.fallback = ReturnUrl.parse(settings.env().get("XERO_CONNECT_FALLBACK_URL"));
        this.router = new ApiRouter().route("GET /v1/xero/callback", this::callback);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private APIGatewayV2HTTPResponse callback(ApiRequest request) {
        CallbackOutcome outcome = connections.callback(request.query("state"), request.query("code"),
                request.query("error"));
        if (outcome.returnTo() == null && fallback == null) {
            throw ApiProblem.badRequest("The Xero answer does not belong to a connect request (" + outcome.reason()
                    + "); start connecting again from the LRM.");
        }
        return ApiResponses.redirect(outcome.location(fallback));
    }
}
