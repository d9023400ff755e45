package org.lrm.xero.app.fakes;

import java.nio.charset.StandardCharsets;
import org.lrm.xero.app.connection.AppCredentialsSource;
import org.lrm.xero.app.invoice.WebhookKeySource;
import org.lrm.xero.app.xero.AppCredentials;

/** The app's credentials and webhook key, as an operator stored them. */
public record FixedAppCredentials(AppCredentials credentials, String webhookKeyText)
        implements AppCredentialsSource, WebhookKeySource {

    public static FixedAppCredentials of(String clientId, String webhookKey) {
        return new FixedAppCredentials(new AppCredentials(clientId, "secret-of-" + clientId), webhookKey);
    }

    @Override
    public byte[] webhookKey() {
        return webhookKeyText.getBytes(StandardCharsets.UTF_8);
    }
}
