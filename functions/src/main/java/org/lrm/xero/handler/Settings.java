package org.lrm.xero.handler;

import java.net.URI;
import java.util.Map;
import org.lrm.xero.domain.connection.LrmOrigins;
import org.lrm.xero.domain.connection.ReturnUrl;

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
        LrmOrigins lrmOrigins,
        URI connectFallbackUrl,
        Map<String, String> env) {

    /**
     * @throws IllegalArgumentException when {@code LRM_ORIGINS} holds something other than https origins
     *         (http only on loopback), or {@code XERO_CONNECT_FALLBACK_URL} is not a URL on one of them
     */
    public static Settings fromEnvironment(Map<String, String> env) {
        // The integration's own public origin serves the console, which a connect returns to.
        LrmOrigins lrmOrigins = LrmOrigins.parse(env.get("LRM_ORIGINS")).with(blankToNull(env.get("PUBLIC_BASE_URL")));
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
                lrmOrigins,
                connectFallback(blankToNull(env.get("XERO_CONNECT_FALLBACK_URL")), lrmOrigins),
                Map.copyOf(env));
    }

    /** The LRM page a callback that cannot be trusted sends the browser to; null: none (a page says what happened). */
    private static URI connectFallback(String url, LrmOrigins lrmOrigins) {
        if (url == null) {
            return null;
        }
        URI parsed = ReturnUrl.parse(url);
        if (parsed == null || !lrmOrigins.allows(parsed)) {
            throw new IllegalArgumentException("XERO_CONNECT_FALLBACK_URL " + url
                    + " is not an absolute URL on one of the LRM origins (LRM_ORIGINS): " + lrmOrigins.list());
        }
        return parsed;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
