package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.lrm.xero.app.invoice.ReceiveWebhook;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.support.JsonLog;

/**
 * {@code POST /v1/xero/webhooks}: Xero's deliveries. 200 with an empty body once the events are
 * queued; 401 with an empty body when the signature is wrong (as Intent to Receive expects); 500 when
 * the stored webhook key is refused (missing, the template's placeholder, too short), logged with how to set it.
 */
public final class WebhookReceiverHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final JsonLog LOG = JsonLog.forClass(WebhookReceiverHandler.class);

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
        return switch (receive.receive(body, request.header("x-xero-signature"))) {
            case ACCEPTED -> ApiResponses.empty(200);
            case REJECTED -> ApiResponses.empty(401);
            // Xero retries for 24 hours: deliveries are taken once an operator has set the key.
            case KEY_REFUSED -> ApiResponses.empty(500);
        };
    }
}
