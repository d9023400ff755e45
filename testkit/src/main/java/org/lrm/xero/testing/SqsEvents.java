package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/** The {@link SQSEvent} Lambda's SQS event source hands a function for a batch it received. */
public final class SqsEvents {

    private SqsEvents() {
    }

    public static SQSEvent of(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(m.attributesAsStrings());
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            m.messageAttributes().forEach((name, value) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(value.dataType());
                a.setStringValue(value.stringValue());
                attributes.put(name, a);
            });
            r.setMessageAttributes(attributes);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
