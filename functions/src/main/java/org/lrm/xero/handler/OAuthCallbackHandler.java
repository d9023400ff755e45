package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.util.Map;
import org.lrm.xero.app.connection.CallbackOutcome;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.domain.connection.BrowserNonce;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.support.Priming;

/**
 * {@code GET /v1/xero/callback}: Xero sends the admin's browser here (no LRM token; the state, PKCE and
 * the {@link ConnectCookie} of the browser that started the connect protect it). The browser goes back to
 * the {@code returnTo} stored with the state, never to one taken from the request. A callback that cannot
 * be tied to a connect this browser started (unknown, used or expired state, another browser) goes to the
 * configured LRM page ({@code XERO_CONNECT_FALLBACK_URL}) with {@code xero=error&reason=…}, or, with none
 * configured, gets a page that says what happened: a person reads it, so never JSON.
 */
public final class OAuthCallbackHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final XeroConnections connections;
    private final URI fallback;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public OAuthCallbackHandler() {
        this(ConnectionRoot.callbackFromEnvironment());
    }

    public OAuthCallbackHandler(ConnectionRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        this.connections = root.connections();
        this.fallback = root.settings().connectFallbackUrl();
        this.router = new ApiRouter().route("GET /v1/xero/callback", this::callback);
        primeWith("GET /v1/xero/callback", PrimingEvents.request("GET /v1/xero/callback"), PrimingEvents.ANY_ANSWER);
        // The answer to a connect request that never was: the state is looked up with a conditional
        // write that no item satisfies, so nothing is stored, and refused.
        primeWith("GET /v1/xero/callback (unknown state)", PrimingEvents.withQuery(
                PrimingEvents.request("GET /v1/xero/callback"), Map.of("state", Priming.ORG, "code", Priming.ORG)),
                PrimingEvents.ANY_ANSWER);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private APIGatewayV2HTTPResponse callback(ApiRequest request) {
        CallbackOutcome outcome = connections.callback(request.query("state"), request.query("code"),
                request.query("error"), BrowserNonce.parse(request.cookie(ConnectCookie.NAME)));
        if (outcome.trusted() || fallback != null) {
            return ApiResponses.redirect(outcome.location(fallback));
        }
        return ApiResponses.html(400, page(outcome));
    }

    /** What a person sees when there is no LRM page to send them to. */
    private static String page(CallbackOutcome outcome) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Connecting Xero did not complete</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>"
                + "</head><body><main><h1>Connecting Xero did not complete</h1>"
                + "<p>" + escape(outcome.message()) + "</p>"
                + "<p>Nothing was connected or changed. Go back to the LRM and press <strong>Connect to Xero</strong> again,"
                + " in this browser.</p>"
                + "<p><small>Reason: <code>" + escape(outcome.reason()) + "</code></small></p>"
                + "</main></body></html>\n";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
