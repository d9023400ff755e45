package org.lrm.xero.app.work;

import java.util.List;

/** A queue work is sent to in the shared envelope. */
public interface WorkQueue {

    /** Sends all messages or throws. */
    void send(List<WorkMessage> messages);
}
