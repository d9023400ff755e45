package org.lrm.xero.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.support.JsonLog;

/**
 * Dispatches an HTTP API event on its route key ({@code "PUT /v1/learners/{learnerId}"}) and turns
 * every refusal into problem+json (what a use case did not find, {@link NotFound}, is 404). Anything unexpected is logged and answered 500 without detail,
 * so internals never leak to a caller.
 */
public final class ApiRouter {

    private static final JsonLog LOG = JsonLog.forClass(ApiRouter.class);

    private final Map<String, Function<ApiRequest, APIGatewayV2HTTPResponse>> routes = new LinkedHashMap<>();

    public ApiRouter route(String routeKey, Function<ApiRequest, APIGatewayV2HTTPResponse> handler) {
        routes.put(routeKey, handler);
        return this;
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest request = new ApiRequest(event);
        Function<ApiRequest, APIGatewayV2HTTPResponse> handler = routes.get(event.getRouteKey());
        try {
            if (handler == null) {
                throw ApiProblem.notFound("No route " + event.getRouteKey() + ".");
            }
            return handler.apply(request);
        } catch (ApiProblem problem) {
            return ApiResponses.problem(problem);
        } catch (NotFound notFound) {
            return ApiResponses.problem(ApiProblem.notFound(notFound.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("api.unhandled", e, "route", event.getRouteKey());
            return ApiResponses.problem(new ApiProblem(500, "internal", "Internal error",
                    "Something went wrong on our side; it has been logged.", null, null));
        }
    }
}
