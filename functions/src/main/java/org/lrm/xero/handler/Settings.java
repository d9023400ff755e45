package org.lrm.xero.handler;

import java.net.URI;
import java.util.Map;

/**
 * Everything a function reads from its environment, as {@code infra/template.yaml} sets it.
 * Read once per cold start by the composition roots; nothing else reads the environment.
 */
public record Settings(
        String stage,
        String tableName,
        String budgetTableName,
        String pdfBucket,
        String learnerSyncQueueUrl,
        String invoiceEventsQueueUrl,
        String resyncPagesQueueUrl,
        String pdfFetchQueueUrl,
        String learnerSyncDlqUrl,
        String invoiceEventsDlqUrl,
        String resyncPagesDlqUrl,
        String pdfFetchDlqUrl,
        String xeroAppSecretId,
        String xeroWebhookKeySecretId,
        String tokenSecretPrefix,
        URI xeroIdentityUrl,
        URI xeroLoginUrl,
        URI xeroApiUrl,
        String eventBusName,
        int bulkDayReservePercent,
        String publicBaseUrl,
        String oauthRedirectUri,
        Map<String, String> env) {

    public static Settings fromEnvironment(Map<String, String> env) {
        return new Settings(
                env.getOrDefault("STAGE", "dev"),
                env.get("TABLE_NAME"),
                env.get("BUDGET_TABLE_NAME"),
                env.get("PDF_BUCKET"),
                env.get("LEARNER_SYNC_QUEUE_URL"),
                env.get("INVOICE_EVENTS_QUEUE_URL"),
                env.get("RESYNC_PAGES_QUEUE_URL"),
                env.get("PDF_FETCH_QUEUE_URL"),
                env.get("LEARNER_SYNC_DLQ_URL"),
                env.get("INVOICE_EVENTS_DLQ_URL"),
                env.get("RESYNC_PAGES_DLQ_URL"),
                env.get("PDF_FETCH_DLQ_URL"),
                env.get("XERO_APP_SECRET_ID"),
                env.get("XERO_WEBHOOK_KEY_SECRET_ID"),
                env.getOrDefault("TOKEN_SECRET_PREFIX", "lrm-xero/dev/tokens/"),
                URI.create(env.getOrDefault("XERO_IDENTITY_URL", "https://identity.xero.com")),
                URI.create(env.getOrDefault("XERO_LOGIN_URL", "https://login.xero.com")),
                URI.create(env.getOrDefault("XERO_API_URL", "https://api.xero.com")),
                env.getOrDefault("EVENT_BUS_NAME", "default"),
                Integer.parseInt(env.getOrDefault("BULK_DAY_RESERVE_PERCENT", "20")),
                blankToNull(env.get("PUBLIC_BASE_URL")),
                blankToNull(env.get("OAUTH_REDIRECT_URI")),
                Map.copyOf(env));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
