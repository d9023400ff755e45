package org.lrm.xero.architecture.planted.app;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.lrm.xero.architecture.planted.adapter.WireClient;

/** Planted violation: a use case that builds its adapter and reads a Lambda event. */
public final class LeakyUseCase {

    public String read(SQSEvent event) {
        return new WireClient().invoice(event.getRecords().get(0).getBody());
    }
}
