package org.lrm.xero.testing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.sandbox.SandboxAdminClient;

/**
 * The integration registered as an app in the Xero sandbox, with the same credentials in the app
 * secret, as operators set them after a deploy. The secret is written first: registering a
 * webhook URL makes the sandbox run Xero's Intent to Receive against the receiver, which checks
 * signatures with the webhook key from the secret.
 */
public record XeroApp(String clientId, String clientSecret, String webhookKey) {

    public static XeroApp register(SandboxAdminClient admin, AwsClients aws, String appSecretId, XeroApp app,
            List<String> redirectUris, String webhookUrl) {
        aws.secretsManager().putSecretValue(b -> b.secretId(appSecretId).secretString(
                "{\"clientId\":\"" + app.clientId + "\",\"clientSecret\":\"" + app.clientSecret
                        + "\",\"webhookKey\":\"" + app.webhookKey + "\"}"));
        admin.registerApp(app.clientId, app.clientSecret, redirectUris, webhookUrl, webhookUrl == null ? null : app.webhookKey);
        return app;
    }

    /** A webhook key shaped as Xero issues them: 64 random bytes in base64 (88 characters). */
    public static String randomWebhookKey() {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public String toString() {
        return "XeroApp[clientId=" + clientId + ", clientSecret=***, webhookKey=***]";
    }
}
