package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.lrm.xero.app.invoice.ReceiveWebhook;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.support.JsonLog;

/**
 * {@code POST /v1/xero/webhooks}: Xero's deliveries. 200 with an empty body once the events are
 * queued; 401 with an empty body when the signature is wrong (as Intent to Receive expects); 500 when
 * the stored webhook key is refused (missing, the template's placeholder, too short), logged with how to set it;
 * problem+json 413 for a body over {@link #MAX_BODY_BYTES}, before the key is read or the body parsed.
 */
public final class WebhookReceiverHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final JsonLog LOG = JsonLog.forClass(WebhookReceiverHandler.class);

    /**
     * The largest delivery taken: 256 KiB. Xero's payload is its events (each about 400 bytes: a resource URL
     * and ids, a date, a type and a category) with two sequence numbers and an entropy string, and Xero batches
     * the events of a short time into one delivery; 256 KiB holds some 600 events, many times a busy
     * organisation's batch. Anything larger is no delivery of Xero's: it is refused unread (an unauthenticated
     * route must not make the function verify and parse whatever size a caller sends).
     */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final ReceiveWebhook receive;

    /** Lambda's entry: wired from the environment. */
    public WebhookReceiverHandler() {
        this(InvoiceRoot.fromEnvironment());
    }

    public WebhookReceiverHandler(InvoiceRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        this.receive = root.receiveWebhook();
        // An unsigned delivery: answered 401 without reading the webhook key, which is kept out of the snapshot.
        primeWith("POST /v1/xero/webhooks", PrimingEvents.request("POST /v1/xero/webhooks"),
                answer -> answer.path("statusCode").asInt() == 401);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        byte[] body;
        try {
            body = request.bodyBytes();
        } catch (IllegalArgumentException notBase64) {
            LOG.warn("webhook.unreadableBody");
            return ApiResponses.empty(401);
        }
        if (body.length > MAX_BODY_BYTES) {
            LOG.warn("webhook.tooLarge", "bytes", body.length);
            return ApiResponses.problem(ApiProblem.tooLarge("The body is " + body.length + " bytes; a Xero webhook delivery is at most "
                    + MAX_BODY_BYTES + "."));
        }
        return switch (receive.receive(body, request.header("x-xero-signature"))) {
            case ACCEPTED -> ApiResponses.empty(200);
            case REJECTED -> ApiResponses.empty(401);
            // Xero retries for 24 hours: deliveries are taken once an operator has set the key.
            case KEY_REFUSED -> ApiResponses.empty(500);
        };
    }
}
