package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's JWT authorizer in front of a route: no valid bearer token, 401
 * {@code {"message":"Unauthorized"}} and the function is not called; a valid one, its claims in
 * {@code requestContext.authorizer.jwt.claims} (as strings, as API Gateway passes them).
 */
final class JwtAuthorizer implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Jwt jwt;
    private final Clock clock;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function;

    JwtAuthorizer(Jwt jwt, Clock clock, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
        this.jwt = jwt;
        this.clock = clock;
        this.function = function;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String authorization = event.getHeaders() == null ? null : event.getHeaders().get("authorization");
        Optional<Map<String, Object>> claims = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? jwt.verify(authorization.substring(7).trim(), clock.instant()) : Optional.empty();
        if (claims.isEmpty()) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(401)
                    .withHeaders(Map.of("content-type", "application/json", "www-authenticate", "Bearer"))
                    .withBody("{\"message\":\"Unauthorized\"}").build();
        }
        Map<String, String> asStrings = new HashMap<>();
        claims.get().forEach((name, value) -> asStrings.put(name, String.valueOf(value)));
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(asStrings).build()).build());
        return function.handleRequest(event, context);
    }
}
