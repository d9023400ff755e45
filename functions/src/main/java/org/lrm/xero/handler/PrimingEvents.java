package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.lrm.xero.support.Priming;

/**
 * The events the handlers prime themselves with ({@link JsonEventHandler#primeWith}), each one the
 * function answers without storing or sending anything: requests by an admin of
 * {@link Priming#ORG}, which does not exist, or by an operator; an empty SQS batch; a schedule's event.
 */
final class PrimingEvents {

    /** Any answer will do: the request only reads. */
    static final Predicate<JsonNode> ANY_ANSWER = answer -> true;

    /** The answer a read gets: what it asked for, or that it does not exist. */
    static final Predicate<JsonNode> READ = answer -> answer.path("statusCode").asInt() == 200
            || answer.path("statusCode").asInt() == 404;

    /** The answer a write gets when validation refuses it, before anything is stored. */
    static final Predicate<JsonNode> REFUSED = answer -> answer.path("statusCode").asInt() == 400;

    /** An EventBridge schedule's event as Lambda hands it over. */
    static final byte[] SCHEDULE = """
            {"version":"0","id":"snapstart-priming","detail-type":"Scheduled Event","source":"aws.events",
             "account":"000000000000","time":"2027-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}
            """.getBytes(StandardCharsets.UTF_8);

    private PrimingEvents() {
    }

    /** A request to {@code routeKey} by an admin of {@link Priming#ORG}; each of {@code pathParameters} names {@link Priming#ORG} too. */
    static APIGatewayV2HTTPEvent request(String routeKey, String... pathParameters) {
        return request(routeKey, Map.of("sub", Priming.ORG, "org", Priming.ORG, "role", "admin"), pathParameters);
    }

    /** {@link #request} by an operator, who belongs to no organisation. */
    static APIGatewayV2HTTPEvent operatorRequest(String routeKey, String... pathParameters) {
        return request(routeKey, Map.of("sub", Priming.ORG, "role", "operator"), pathParameters);
    }

    private static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> claims, String... pathParameters) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setRawPath(routeKey.substring(routeKey.indexOf(' ') + 1));
        Map<String, String> parameters = new java.util.HashMap<>();
        for (String name : pathParameters) {
            parameters.put(name, Priming.ORG);
        }
        event.setPathParameters(parameters);
        event.setHeaders(Map.of());
        event.setRequestContext(context);
        return event;
    }

    /** {@link #request} with a JSON body. */
    static APIGatewayV2HTTPEvent write(String routeKey, String jsonBody, String... pathParameters) {
        return withBody(request(routeKey, pathParameters), jsonBody);
    }

    /** {@code event} with a JSON body. */
    static APIGatewayV2HTTPEvent withBody(APIGatewayV2HTTPEvent event, String jsonBody) {
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody(jsonBody);
        return event;
    }

    /** {@code event} with a query string, as API Gateway hands one over. */
    static APIGatewayV2HTTPEvent withQuery(APIGatewayV2HTTPEvent event, Map<String, String> query) {
        event.setQueryStringParameters(query);
        event.setRawQueryString(String.join("&", query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().toList()));
        return event;
    }

    /** A batch of no messages. */
    static SQSEvent emptyBatch() {
        SQSEvent empty = new SQSEvent();
        empty.setRecords(List.of());
        return empty;
    }
}
