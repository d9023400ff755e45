package org.lrm.xero.handler;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.invoice.InvoicePdfs;
import org.lrm.xero.domain.connection.LrmOrigins;
import org.lrm.xero.domain.connection.ReturnUrl;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.support.Environment;

/**
 * Everything a function reads from its environment, as {@code infra/template.yaml} sets it, each
 * variable read once into a typed field here. The composition roots read it once per cold start
 * ({@link #fromEnvironment()}); nothing else reads the environment.
 *
 * @param xeroScopes {@code XERO_SCOPES=broad} (optional) makes connect ask for Xero's broad scopes
 *     (apps created before March 2026); the default is the granular ones
 * @param xeroTimeout {@code XERO_TIMEOUT_MS} when set (tests shorten it to meet Xero's timeouts
 *     quickly), else {@link #XERO_TIMEOUT}
 * @param pdfsPerMessage how many PDFs a re-sync names in one message of the PDF worker ({@code PDFS_PER_MESSAGE},
 *     {@link InvoicePdfs#PDFS_PER_MESSAGE} unless set; the benchmark sets 1, one a message, to measure the design before)
 * @param oauthRedirectUri the callback Xero sends the admin's browser to; null for the request's own host
 * @param lrmOrigins the origins a connect may send the admin's browser back to: {@code LRM_ORIGINS},
 *     and the origin of {@code PUBLIC_BASE_URL} (the integration's own, where the console is served)
 * @param connectFallbackUrl where the callback sends a browser whose connect request cannot be trusted
 *     ({@code XERO_CONNECT_FALLBACK_URL}, a URL on one of {@code lrmOrigins}); null for a page saying what happened
 * @param awsEndpoint an emulator's address ({@code AWS_ENDPOINT_URL}); null in AWS
 * @param emulatorKeys against an emulator, the function's role's keys as Lambda gives them
 *     ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}: the local run
 *     and the tests set them per function); null when not set, and always in AWS, where the SDK reads them
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
        String scheduledWorkQueueUrl,
        String learnerSyncDlqUrl,
        String invoiceEventsDlqUrl,
        String resyncPagesDlqUrl,
        String pdfFetchDlqUrl,
        String scheduledWorkDlqUrl,
        String xeroAppSecretId,
        String xeroWebhookKeySecretId,
        String tokenSecretPrefix,
        URI xeroIdentityUrl,
        URI xeroLoginUrl,
        URI xeroApiUrl,
        XeroScopes xeroScopes,
        Duration xeroTimeout,
        String eventBusName,
        int bulkDayReservePercent,
        int pdfsPerMessage,
        String oauthRedirectUri,
        LrmOrigins lrmOrigins,
        URI connectFallbackUrl,
        String awsRegion,
        URI awsEndpoint,
        AwsClients.Keys emulatorKeys) {

    /** Xero answers within seconds; a token call must end well inside the refresh lease. */
    public static final Duration XERO_TIMEOUT = Duration.ofSeconds(20);

    /** The function's own environment (in a local run, the template's variables for it, {@link Environment#override}). */
    public static Settings fromEnvironment() {
        return from(Environment.current());
    }

    /**
     * From variables named as the template names them: tests pass a function's, as the template gives them.
     *
     * @throws IllegalArgumentException when {@code LRM_ORIGINS} holds something other than https origins
     *         (http only on loopback), or {@code XERO_CONNECT_FALLBACK_URL} is not a URL on one of them
     */
    public static Settings from(Map<String, String> env) {
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
                env.get("SCHEDULED_WORK_QUEUE_URL"),
                env.get("LEARNER_SYNC_DLQ_URL"),
                env.get("INVOICE_EVENTS_DLQ_URL"),
                env.get("RESYNC_PAGES_DLQ_URL"),
                env.get("PDF_FETCH_DLQ_URL"),
                env.get("SCHEDULED_WORK_DLQ_URL"),
                env.get("XERO_APP_SECRET_ID"),
                env.get("XERO_WEBHOOK_KEY_SECRET_ID"),
                env.getOrDefault("TOKEN_SECRET_PREFIX", "lrm-xero/dev/tokens/"),
                URI.create(env.getOrDefault("XERO_IDENTITY_URL", "https://identity.xero.com")),
                URI.create(env.getOrDefault("XERO_LOGIN_URL", "https://login.xero.com")),
                URI.create(env.getOrDefault("XERO_API_URL", "https://api.xero.com")),
                XeroScopes.parse(env.get("XERO_SCOPES")),
                blankToNull(env.get("XERO_TIMEOUT_MS")) == null ? XERO_TIMEOUT
                        : Duration.ofMillis(Long.parseLong(env.get("XERO_TIMEOUT_MS").trim())),
                env.getOrDefault("EVENT_BUS_NAME", "default"),
                Integer.parseInt(env.getOrDefault("BULK_DAY_RESERVE_PERCENT", "20")),
                Integer.parseInt(env.getOrDefault("PDFS_PER_MESSAGE", String.valueOf(InvoicePdfs.PDFS_PER_MESSAGE))),
                blankToNull(env.get("OAUTH_REDIRECT_URI")),
                lrmOrigins,
                connectFallback(blankToNull(env.get("XERO_CONNECT_FALLBACK_URL")), lrmOrigins),
                env.getOrDefault("AWS_REGION", "us-east-1"),
                blankToNull(env.get("AWS_ENDPOINT_URL")) == null ? null : URI.create(env.get("AWS_ENDPOINT_URL").trim()),
                emulatorKeys(env));
    }

    private static AwsClients.Keys emulatorKeys(Map<String, String> env) {
        String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (blankToNull(env.get("AWS_ENDPOINT_URL")) == null || key == null || secret == null) {
            return null;
        }
        return new AwsClients.Keys(key, secret, blankToNull(env.get("AWS_SESSION_TOKEN")));
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
