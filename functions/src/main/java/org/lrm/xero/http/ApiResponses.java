package org.lrm.xero.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * A page for a person's browser (the OAuth callback's answer when there is nowhere to send them back):
     * it loads nothing, runs nothing and cannot be framed.
     */
    public static APIGatewayV2HTTPResponse html(int status, String page) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store",
                        "content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                        "x-content-type-options", "nosniff", "referrer-policy", "no-referrer"))
                .withBody(page).build();
    }

    /** The answer with {@code Set-Cookie} headers added (API Gateway's payload 2.0 {@code cookies}). */
    public static APIGatewayV2HTTPResponse withCookie(APIGatewayV2HTTPResponse response, String setCookie) {
        List<String> cookies = new ArrayList<>(
                response.getCookies() == null ? List.of() : response.getCookies());
        cookies.add(setCookie);
        response.setCookies(cookies);
        return response;
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
