package org.lrm.xero.app.invoice;

/** The key Xero signs webhook deliveries with (part of the app's credentials). Never logged. */
public interface WebhookKeySource {

    byte[] webhookKey();
}
