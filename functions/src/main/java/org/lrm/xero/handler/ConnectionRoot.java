package org.lrm.xero.handler;

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
import org.lrm.xero.support.Json;

/**
 * The connection functions' composition root (connect, status and disconnect; the OAuth callback),
 * which is also the connection part of every root whose functions call Xero: the Xero client, the
 * connection store, the token vault and the app's credentials, token renewal and the connect flow.
 * Built once per cold start; plain constructors, no DI framework.
 *
 * @param xero the HTTP client of Xero's APIs, for the ports over it
 */
public record ConnectionRoot(Settings settings, XeroClient xero, ConnectionStore store, XeroTokens tokens,
                             XeroConnections connections) {

    /** As Lambda runs it: the function's settings, the system clock, back-off while another instance refreshes. */
    public static ConnectionRoot fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return of(settings, Wiring.awsClients(settings), Clock.systemUTC(), Waiter.backoff());
    }

    /** The OAuth callback's, as Lambda runs it ({@link #callback}). */
    public static ConnectionRoot callbackFromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        return callback(settings, Wiring.awsClients(settings), Clock.systemUTC(), Waiter.backoff());
    }

    /** For tests, the local run and the benchmark: their own AWS clients, clock and waiter. */
    public static ConnectionRoot of(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        return of(settings, aws, clock, waiter, true);
    }

    /**
     * The OAuth callback's root: as {@link #of}, but its token vault is not primed with a read, since the
     * callback only writes tokens (its role may not read them).
     */
    public static ConnectionRoot callback(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        return of(settings, aws, clock, waiter, false);
    }

    private static ConnectionRoot of(Settings settings, AwsClients aws, Clock clock, Waiter waiter, boolean readsTokens) {
        XeroClient xero = new XeroClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                new XeroEndpoints(settings.xeroIdentityUrl(), settings.xeroApiUrl(), settings.xeroLoginUrl()),
                Json.MAPPER, settings.xeroTimeout(), clock);
        // Every function with this root holds tokens: it writes the token lease.
        DynamoConnectionStore store = new DynamoConnectionStore(aws.dynamoDb(), settings.tableName(), true);
        SecretsManagerTokenVault vault = new SecretsManagerTokenVault(aws.secretsManager(), settings.tokenSecretPrefix(),
                readsTokens);
        SecretsManagerAppCredentials app = new SecretsManagerAppCredentials(aws.secretsManager(),
                settings.xeroAppSecretId(), clock);
        XeroApiIdentity identity = new XeroApiIdentity(xero);
        XeroTokens tokens = new XeroTokens(store, vault, identity, app, settings.xeroScopes(), clock, waiter);
        XeroConnections connections = new XeroConnections(store, vault,
                new DynamoPendingAuthorizations(aws.dynamoDb(), settings.tableName()), app, identity, tokens,
                settings.xeroScopes(), clock);
        return new ConnectionRoot(settings, xero, store, tokens, connections);
    }
}
