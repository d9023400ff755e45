package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway HTTP API (payload 2.0) events as AWS delivers them to the handlers, for tests:
 * route key, path parameters, query, headers, cookies (payload 2.0 keeps them apart from the headers),
 * body and the JWT claims the authorizer verified.
 */
public final class ApiEvents {

    private final String method;
    private final String routeKey;
    private final Map<String, String> pathParams = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> claims = new LinkedHashMap<>();
    private final List<String> cookies = new ArrayList<>();
    private String body;
    private boolean base64;
    private String rawPath;

    private ApiEvents(String routeKey) {
        this.routeKey = routeKey;
        this.method = routeKey.substring(0, routeKey.indexOf(' '));
        this.rawPath = routeKey.substring(routeKey.indexOf(' ') + 1);
        headers.put("host", "api.test.local");
    }

    /** E.g. {@code ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", "L-1")}. */
    public static ApiEvents route(String routeKey) {
        return new ApiEvents(routeKey);
    }

    public ApiEvents path(String name, String value) {
        pathParams.put(name, value);
        rawPath = rawPath.replace("{" + name + "}", value);
        return this;
    }

    public ApiEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public ApiEvents header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    /** A cookie the browser sends, {@code name=value}. */
    public ApiEvents cookie(String nameValue) {
        cookies.add(nameValue);
        return this;
    }

    /** The cookies an answer set ({@code name=value} of each {@code Set-Cookie}), sent as a browser would. */
    public ApiEvents cookiesFrom(APIGatewayV2HTTPResponse response) {
        if (response.getCookies() != null) {
            response.getCookies().forEach(set -> cookies.add(set.split(";", 2)[0].trim()));
        }
        return this;
    }

    public ApiEvents json(String json) {
        headers.put("content-type", "application/json");
        this.body = json;
        return this;
    }

    public ApiEvents body(String body, boolean base64Encoded) {
        this.body = body;
        this.base64 = base64Encoded;
        return this;
    }

    /** Claims of a signed-in user: role admin, staff or learner. */
    public ApiEvents as(String orgId, String role, String userId) {
        claims.put("sub", userId);
        claims.put("org", orgId);
        claims.put("role", role);
        return this;
    }

    /** Claims of the vendor's support staff: role operator, no organisation. */
    public ApiEvents asOperator(String userId) {
        claims.put("sub", userId);
        claims.put("role", "operator");
        return this;
    }

    public ApiEvents asLearner(String orgId, String learnerId) {
        as(orgId, "learner", "user-" + learnerId);
        claims.put("learner", learnerId);
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(rawPath).withSourceIp("127.0.0.1").build();
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).withRouteKey(routeKey).withDomainName(headers.get("host")).withStage("$default")
                .withRequestId(java.util.UUID.randomUUID().toString());
        if (!claims.isEmpty()) {
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                    .builder().withClaims(new HashMap<>(claims)).build();
            ctx.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(routeKey).withRawPath(rawPath)
                .withPathParameters(pathParams.isEmpty() ? null : new HashMap<>(pathParams))
                .withQueryStringParameters(query.isEmpty() ? null : new HashMap<>(query))
                .withHeaders(new HashMap<>(headers)).withCookies(cookies.isEmpty() ? null : List.copyOf(cookies))
                .withBody(body).withIsBase64Encoded(base64)
                .withRequestContext(ctx.build()).build();
    }
}
