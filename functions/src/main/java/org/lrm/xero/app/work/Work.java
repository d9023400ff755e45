package org.lrm.xero.app.work;

/**
 * One received message as a processor sees it.
 *
 * @param messageId the queue's id, the key of the processor's answer
 * @param receiveCount how often the queue has delivered it (1 on first delivery)
 */
public record Work(String messageId, WorkMessage message, int receiveCount) {
}
