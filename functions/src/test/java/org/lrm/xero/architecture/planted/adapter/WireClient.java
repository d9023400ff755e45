package org.lrm.xero.architecture.planted.adapter;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import org.lrm.xero.architecture.planted.app.InvoicesPort;

/** Planted: an adapter that implements its port, and (the violation) reads an API Gateway event. */
public final class WireClient implements InvoicesPort {

    @Override
    public String invoice(String id) {
        return new WireInvoice(id).invoiceId();
    }

    public String route(APIGatewayV2HTTPEvent event) {
        return event.getRouteKey();
    }
}
