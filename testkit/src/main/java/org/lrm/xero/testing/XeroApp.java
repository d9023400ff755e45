package org.lrm.xero.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.sandbox.SandboxAdminClient;

/**
/**
 * The integration registered as an app in the Xero sandbox as it is registered at developer.xero.com: a new app
 * (created today, so Xero allows it only granular scopes), its webhook subscribed to the event categories the
 * integration handles, and the same credentials in the app's secrets, as operators set them after a deploy: the
 * OAuth client in the app secret, the webhook key in its own. The secrets are written first: registering a webhook
 * URL makes the sandbox run Xero's Intent to Receive against the receiver, which checks signatures with the
 * webhook key from its secret.
 */
public record XeroApp(String clientId, String clientSecret, String webhookKey) {

    /** The event categories the integration's webhook receiver handles: what its Xero app subscribes to. */
    public static final List<String> WEBHOOK_CATEGORIES = List.of("CONTACT", "INVOICE", "CREDITNOTE");

    public static XeroApp register(SandboxAdminClient admin, AwsClients aws, TemplateResources stack, XeroApp app,
            List<String> redirectUris, String webhookUrl) {
        app.store(aws, stack);
        app.registerIn(admin, redirectUris, webhookUrl);
        return app;
    }

    /** Writes the credentials into the stack's XeroAppSecret and XeroWebhookKeySecret, as operators do. */
    public void store(AwsClients aws, TemplateResources stack) {
        aws.secretsManager().putSecretValue(b -> b.secretId(stack.ref("XeroAppSecret")).secretString(
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\"}"));
        aws.secretsManager().putSecretValue(b -> b.secretId(stack.ref("XeroWebhookKeySecret")).secretString(
                "{\"webhookKey\":\"" + webhookKey + "\"}"));
    }

    /** A webhook key shaped as Xero issues them: 64 random bytes in base64 (88 characters). */
    public static String randomWebhookKey() {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** (Re-)registers this app in the sandbox, created now, with its webhook (none when {@code webhookUrl} is null). */
    public JsonNode registerIn(SandboxAdminClient admin, List<String> redirectUris, String webhookUrl) {
        return admin.registerApp(new SandboxAdminClient.App(clientId, clientSecret, redirectUris, webhookUrl,
                webhookUrl == null ? null : webhookKey, admin.now(), webhookUrl == null ? List.of() : WEBHOOK_CATEGORIES));
    }

    @Override
    public String toString() {
        return "XeroApp[clientId=" + clientId + ", clientSecret=***, webhookKey=***]";
    }
}
