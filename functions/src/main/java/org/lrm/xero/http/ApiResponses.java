package org.lrm.xero.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import org.lrm.xero.support.Json;

/** The few response shapes the API gives. */
public final class ApiResponses {

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
                .withBody(write(body)).build();
    }

    public static APIGatewayV2HTTPResponse text(int status, String contentType, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", contentType, "cache-control", "no-store"))
                .withBody(body).build();
    }

    public static APIGatewayV2HTTPResponse problem(ApiProblem problem) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(problem.status())
                .withHeaders(Map.of("content-type", "application/problem+json", "cache-control", "no-store"))
                .withBody(write(problem.body())).build();
    }

    public static APIGatewayV2HTTPResponse redirect(String location) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(302)
                .withHeaders(Map.of("location", location, "cache-control", "no-store")).build();
    }

    /**
     * 302 to {@code location}; or, when the caller asks for JSON, 200 {@code {linkField: location}}:
     * a script that calls with a bearer token (the console) cannot read a redirect's Location, so it
     * asks for the link and sends the browser there itself.
     */
    public static APIGatewayV2HTTPResponse redirectOrLink(ApiRequest request, String linkField, String location) {
        String accept = request.header("accept");
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/json")) {
            return json(200, Map.of(linkField, location));
        }
        return redirect(location);
    }

    public static APIGatewayV2HTTPResponse empty(int status) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).build();
    }

    private static String write(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}
