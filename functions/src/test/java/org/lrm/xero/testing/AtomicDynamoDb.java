package org.lrm.xero.testing;

import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB client for the emulator that sends one request at a time. DynamoDB checks a
 * condition and writes atomically; moto's threaded server does not (two writers can both pass
 * {@code version = :v}), so tests of many concurrent writers use this to get DynamoDB's
 * guarantee rather than moto's race.
 */
public final class AtomicDynamoDb {

    private AtomicDynamoDb() {
    }

    public static DynamoDbClient client() {
        ReentrantLock oneAtATime = new ReentrantLock(true);
        return DynamoDbClient.builder()
                .endpointOverride(AwsEmulator.start())
                .region(AwsEmulator.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        oneAtATime.lock();
                    }

                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                        oneAtATime.unlock();
                    }

                    @Override
                    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                        if (oneAtATime.isHeldByCurrentThread()) {
                            oneAtATime.unlock();
                        }
                    }
                }))
                .build();
    }
}
