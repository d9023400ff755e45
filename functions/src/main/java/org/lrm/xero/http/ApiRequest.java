package org.lrm.xero.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An API Gateway HTTP API (payload 2.0) request, read the way every handler needs it. */
public final class ApiRequest {

    /** Bodies above 1 MB are refused before they are parsed. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final APIGatewayV2HTTPEvent event;

    public ApiRequest(APIGatewayV2HTTPEvent event) {
        this.event = event;
    }

    /** E.g. {@code "PUT /v1/learners/{learnerId}"}: what the router dispatches on. */
    public String routeKey() {
        return event.getRouteKey();
    }

    public String pathParam(String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? null : params.get(name);
    }

    public String query(String name) {
        Map<String, String> params = event.getQueryStringParameters();
        return params == null ? null : params.get(name);
    }

    /** A header by name, ignoring case (API Gateway lower-cases them; local callers may not). */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * A cookie's value by name: from the event's {@code cookies} (where API Gateway's payload 2.0 puts the
     * request's Cookie headers) or, failing that, a {@code cookie} header; null when absent.
     */
    public String cookie(String name) {
        List<String> cookies = event.getCookies();
        if (cookies == null || cookies.isEmpty()) {
            String header = header("cookie");
            cookies = header == null ? List.of() : List.of(header.split(";"));
        }
        for (String cookie : cookies) {
            for (String pair : cookie.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** The raw body bytes, decoded when API Gateway handed them base64-encoded. */
    public byte[] bodyBytes() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The caller, from the JWT claims the authorizer verified; 401 when there are none. An operator
     * belongs to no organisation: their token needs no {@code org}, and one it carries is ignored,
     * so that no organisation's route can take an operator for one of its users.
     */
    public Caller caller() {
        Map<String, String> claims = claims();
        Role role = Role.parse(claims.get("role"));
        String org = role == Role.OPERATOR ? null : claims.get("org");
        if (claims.get("sub") == null || role == null || org == null && role != Role.OPERATOR) {
            throw ApiProblem.unauthorized("A valid token with sub and role claims is required, and org unless the role is operator.");
        }
        return new Caller(claims.get("sub"), org, role, role == Role.LEARNER ? claims.get("learner") : null);
    }

    /** The host the request came to, to build absolute URLs back to this API. */
    public String host() {
        String domain = event.getRequestContext() == null ? null : event.getRequestContext().getDomainName();
        return domain != null ? domain : header("host");
    }

    private Map<String, String> claims() {
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        if (ctx == null || ctx.getAuthorizer() == null || ctx.getAuthorizer().getJwt() == null
                || ctx.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return ctx.getAuthorizer().getJwt().getClaims();
    }
}
