package org.lrm.xero.adapter.aws;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place AWS clients are built, for the Lambda functions, the local run and the tests
 * alike, so that all three talk to AWS the same way. Against an emulator (moto, LocalStack)
 * the endpoint is overridden, S3 uses path-style addresses, and the credentials are those of the
 * environment's {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}
 * (what Lambda gives a function from its role), or dummy ones when none are set. Clients are
 * built on first use: a function pays only for what it uses.
 */
public final class AwsClients {

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;

    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner s3Presigner;
    private SecretsManagerClient secretsManager;
    private EventBridgeClient eventBridge;

    public AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        this(region, endpoint, credentials, List.of());
    }

    /**
     * @param interceptors run on every call of every client (e.g. the tests' record of which
     *     function made which call); presigning makes no call and runs none
     */
    public AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials,
            List<ExecutionInterceptor> interceptors) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.interceptors = List.copyOf(interceptors);
        this.http = UrlConnectionHttpClient.builder().build();
    }

    /**
     * For {@code region} and, against an emulator (moto, LocalStack), its {@code endpoint}: the
     * composition roots pass what {@code AWS_REGION} and {@code AWS_ENDPOINT_URL} said.
     */
    public static AwsClients of(Region region, Optional<URI> endpoint) {
        return of(region, endpoint, null);
    }

    /**
     * As {@link #of(Region, Optional)}, against an emulator with {@code keys} when given: the local run
     * and the tests give each function its role's keys, as Lambda does, without touching the process's own.
     */
    public static AwsClients of(Region region, Optional<URI> endpoint, Keys keys) {
        if (endpoint.isPresent() && keys != null) {
            AwsCredentials credentials = keys.sessionToken() == null ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
                    : AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
            return new AwsClients(region, endpoint, StaticCredentialsProvider.create(credentials));
        }
        // Against an emulator, dummy credentials unless the SDK's default chain has keys of its own to find.
        boolean hasKeys = System.getenv("AWS_ACCESS_KEY_ID") != null || System.getProperty("aws.accessKeyId") != null;
        AwsCredentialsProvider credentials = endpoint.isPresent() && !hasKeys
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))
                : DefaultCredentialsProvider.builder().build();
        return new AwsClients(region, endpoint, credentials);
    }

    /** An emulator's keys for a function (its role's); the secret parts never printed. */
    public record Keys(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Keys[" + accessKeyId + "]";
        }
    }

    /** For an emulator at a known address (tests, the local run). */
    public static AwsClients forEmulator(URI endpoint, Region region) {
        return of(region, Optional.of(endpoint));
    }

    public Region region() {
        return region;
    }

    public Optional<URI> endpoint() {
        return endpoint;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = configure(DynamoDbClient.builder()).httpClient(http).build();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder()).httpClient(http).build();
        }
        return sqs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = configure(S3Client.builder()).httpClient(http)
                    .forcePathStyle(endpoint.isPresent())
                    .build();
        }
        return s3;
    }

    public synchronized S3Presigner s3Presigner() {
        if (s3Presigner == null) {
            S3Presigner.Builder builder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
            endpoint.ifPresent(builder::endpointOverride);
            s3Presigner = builder.build();
        }
        return s3Presigner;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = configure(SecretsManagerClient.builder()).httpClient(http).build();
        }
        return secretsManager;
    }

    public synchronized EventBridgeClient eventBridge() {
        if (eventBridge == null) {
            eventBridge = configure(EventBridgeClient.builder()).httpClient(http).build();
        }
        return eventBridge;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials);
        if (!interceptors.isEmpty()) {
            builder.overrideConfiguration(c -> interceptors.forEach(c::addExecutionInterceptor));
        }
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
