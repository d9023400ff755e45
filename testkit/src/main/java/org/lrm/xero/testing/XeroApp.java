package org.lrm.xero.testing;

import java.util.List;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.sandbox.SandboxAdminClient;

/**
 * The integration registered as an app in the Xero sandbox, with the same credentials in the app's
 * secrets, as operators set them after a deploy: the OAuth client in the app secret, the webhook
 * key in its own. The secrets are written first: registering a webhook URL makes the sandbox run
 * Xero's Intent to Receive against the receiver, which checks signatures with the webhook key.
 */
public record XeroApp(String clientId, String clientSecret, String webhookKey) {

    public static XeroApp register(SandboxAdminClient admin, AwsClients aws, TemplateResources stack, XeroApp app,
            List<String> redirectUris, String webhookUrl) {
        app.store(aws, stack);
        admin.registerApp(app.clientId, app.clientSecret, redirectUris, webhookUrl, webhookUrl == null ? null : app.webhookKey);
        return app;
    }

    /** Writes the credentials into the stack's XeroAppSecret and XeroWebhookKeySecret, as operators do. */
    public void store(AwsClients aws, TemplateResources stack) {
        aws.secretsManager().putSecretValue(b -> b.secretId(stack.ref("XeroAppSecret")).secretString(
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\"}"));
        aws.secretsManager().putSecretValue(b -> b.secretId(stack.ref("XeroWebhookKeySecret")).secretString(
                "{\"webhookKey\":\"" + webhookKey + "\"}"));
    }

    @Override
    public String toString() {
        return "XeroApp[clientId=" + clientId + ", clientSecret=***, webhookKey=***]";
    }
}
