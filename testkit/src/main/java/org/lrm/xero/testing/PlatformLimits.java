package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import org.lrm.xero.support.Json;

/**
 * The limits AWS applies between a client and a function behind the HTTP API, which no handler
 * sees: API Gateway refuses a body over 10 MB, and Lambda refuses a synchronous invocation whose
 * payload (the event, as JSON) is 6 MB or more, so API Gateway answers for it. The answers are the
 * platform's own, not the API's problem+json (as recorded in
 * https://github.com/koki-develop/lgtm-generator/issues/10: "HTTP content length exceeded 10485760
 * bytes." and {@code {"message": "Request Too Long"}}, both 413).
 */
public final class PlatformLimits {

    /** API Gateway's HTTP API payload quota (10 MB, not adjustable). */
    public static final int API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** Lambda's synchronous invocation request payload (Invoke: "Request must be smaller than 6291456 bytes"). */
    public static final int LAMBDA_MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024 - 1;

    private PlatformLimits() {
    }

    /** How many bytes Lambda is asked to take for {@code event}: the event as JSON, its body escaped within it. */
    public static int invocationBytes(APIGatewayV2HTTPEvent event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static APIGatewayV2HTTPResponse bodyTooLarge() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(413)
                .withHeaders(Map.of("content-type", "text; charset=utf-8"))
                .withBody("HTTP content length exceeded " + API_GATEWAY_MAX_BODY_BYTES + " bytes.").build();
    }

    static APIGatewayV2HTTPResponse eventTooLarge() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(413)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"message\": \"Request Too Long\"}").build();
    }
}
