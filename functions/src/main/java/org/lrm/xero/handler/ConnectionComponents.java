package org.lrm.xero.handler;

import org.lrm.xero.support.Environment;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoPendingAuthorizations;
import org.lrm.xero.adapter.aws.SecretsManagerAppCredentials;
import org.lrm.xero.adapter.aws.SecretsManagerTokenVault;
import org.lrm.xero.adapter.xero.XeroApiIdentity;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.adapter.xero.XeroEndpoints;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.connection.XeroConnections;
import org.lrm.xero.app.connection.XeroTokens;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.support.Json;

/**
 * The connection and token-vault objects every function that talks to Xero needs, wired one way.
 * {@code XERO_SCOPES=broad} (optional) makes connect ask for Xero's broad scopes (apps created before
 * March 2026); the default is the granular ones.
 */
public record ConnectionComponents(XeroClient xero, ConnectionStore store, XeroTokens tokens,
        XeroConnections connections) {

    /** Xero answers within seconds; a token call must end well inside the refresh lease. */
    static final Duration XERO_TIMEOUT = Duration.ofSeconds(20);

    public static ConnectionComponents create(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        XeroClient xero = new XeroClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                new XeroEndpoints(settings.xeroIdentityUrl(), settings.xeroApiUrl(), settings.xeroLoginUrl()),
                Json.MAPPER, xeroTimeout(settings), clock);
        DynamoConnectionStore store = new DynamoConnectionStore(aws.dynamoDb(), settings.tableName());
        SecretsManagerTokenVault vault = new SecretsManagerTokenVault(aws.secretsManager(), settings.tokenSecretPrefix());
        SecretsManagerAppCredentials app = new SecretsManagerAppCredentials(aws.secretsManager(),
                settings.xeroAppSecretId(), clock);
        XeroApiIdentity identity = new XeroApiIdentity(xero);
        XeroScopes scopes = XeroScopes.parse(settings.env().get("XERO_SCOPES"));
        XeroTokens tokens = new XeroTokens(store, vault, identity, app, scopes, clock, waiter);
        XeroConnections connections = new XeroConnections(store, vault,
                new DynamoPendingAuthorizations(aws.dynamoDb(), settings.tableName()), app, identity, tokens, scopes, clock);
        return new ConnectionComponents(xero, store, tokens, connections);
    }

    /** {@code XERO_TIMEOUT_MS} when set (tests shorten it to meet Xero's timeouts quickly), else {@link #XERO_TIMEOUT}. */
    static Duration xeroTimeout(Settings settings) {
        String millis = settings.env().get("XERO_TIMEOUT_MS");
        return millis == null || millis.isBlank() ? XERO_TIMEOUT : Duration.ofMillis(Long.parseLong(millis.trim()));
    }

    /**
     * As a Lambda runs it: the environment, the system clock, back-off between polls.
     * @param readsTokens whether the function reads tokens (primed then); the OAuth callback only writes them
     */
    static ConnectionComponents fromEnvironment(boolean readsTokens) {
        Settings settings = Settings.fromEnvironment(Environment.current());
        return create(settings, SnapStartPriming.primedXeroClients(settings, readsTokens), Clock.systemUTC(), Waiter.backoff());
    }
}
