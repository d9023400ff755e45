package org.lrm.xero.adapter.aws;

import java.net.URI;
import java.util.List;
import java.util.Map;
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
     * From the environment: {@code AWS_REGION} (default us-east-1) and, for emulators,
     * {@code AWS_ENDPOINT_URL}.
     */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        Optional<URI> endpoint = Optional.ofNullable(env.get("AWS_ENDPOINT_URL"))
                .filter(s -> !s.isBlank()).map(URI::create);
        return forEndpoint(region, endpoint, env);
    }

    /** For an emulator at a known address (tests, the local run). */
    public static AwsClients forEmulator(URI endpoint, Region region) {
        return forEndpoint(region, Optional.of(endpoint), System.getenv());
    }

    private static AwsClients forEndpoint(Region region, Optional<URI> endpoint, Map<String, String> env) {
        if (endpoint.isEmpty()) {
            return new AwsClients(region, endpoint, DefaultCredentialsProvider.builder().build());
        }
        // Against an emulator the given environment is the whole truth: the local run and the tests give
        // each function its role's keys in it, as Lambda does, without touching the process's own.
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key == null || secret == null) {
            boolean hasKeys = key != null || System.getProperty("aws.accessKeyId") != null;
            return new AwsClients(region, endpoint, hasKeys ? DefaultCredentialsProvider.builder().build()
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
        }
        String token = env.get("AWS_SESSION_TOKEN");
        AwsCredentials credentials = token == null || token.isBlank() ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, token);
        return new AwsClients(region, endpoint, StaticCredentialsProvider.create(credentials));
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
