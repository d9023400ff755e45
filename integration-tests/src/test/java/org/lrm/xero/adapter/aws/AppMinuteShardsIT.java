package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.app.rate.RateBudget.Admission;
import org.lrm.xero.domain.rate.AppMinuteWindow;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.TemplateResources;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The app-wide minute under many concurrent takers, each a tenant of its own, against DynamoDB (the
 * emulator): the calls of a bucket spread over its counters, so no item is written by every call,
 * and together they never take more than the bucket's cap.
 */
@ExtendWith(AwsEmulator.class)
class AppMinuteShardsIT {

    private static final int TAKERS = 48;

    @Test
    void manyTakersAtOnceSpreadOverTheCountersAndNeverOverbookTheAppMinute() throws Exception {
        Settings settings = Settings.from(TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(AwsEmulator.clients()).environment("PdfWorkerFunction"));
        // An app limit of 800 a minute: 100 calls a 10-second bucket, in 32 counters of 3.
        RateLimits limits = new RateLimits(5, 60, 5_000, 800, 20, Duration.ofSeconds(90), Duration.ofSeconds(2), Duration.ofSeconds(1));
        AppMinuteWindow app = AppMinuteWindow.of(limits);
        assertThat(app.shardCount()).isEqualTo(32);
        int bucketCap = app.shardCount() * app.shardCap();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T05:00:03Z"));
        DynamoRateBudget budget = new DynamoRateBudget(AwsEmulator.clients().dynamoDb(), settings.budgetTableName(),
                new RatePolicy(limits), clock);

        AtomicInteger granted = new AtomicInteger();
        Map<WaitReason, AtomicInteger> waits = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(TAKERS);
        try {
            List<Future<?>> takers = new ArrayList<>();
            for (int t = 0; t < TAKERS; t++) {
                String tenantId = "taker-" + t;
                takers.add(pool.submit(() -> {
                    start.await();
                    // Each takes calls until the budget says wait: two calls each would not fill the bucket.
                    while (true) {
                        Admission admission = budget.acquire(tenantId, Priority.BULK);
                        if (admission instanceof Admission.Granted g) {
                            granted.incrementAndGet();
                            budget.release(g.lease(), Remaining.UNKNOWN);
                        } else {
                            waits.computeIfAbsent(((Admission.Wait) admission).reason(), r -> new AtomicInteger()).incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> taker : takers) {
                taker.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Integer> counters = new ConcurrentHashMap<>();
        String bucketPrefix = "MINUTE#" + app.bucketOf(clock.instant()) + "#";
        AwsEmulator.clients().dynamoDb().queryPaginator(b -> b.tableName(settings.budgetTableName()).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(TableKeys.APP), ":prefix", AttributeValue.fromS(bucketPrefix))))
                .items().forEach(item -> counters.put(item.get("sk").s(), Integer.parseInt(item.get("count").n())));

        assertThat(waits).as("every taker stopped at the app's minute, none for want of a slot").containsOnlyKeys(WaitReason.APPMINUTE);
        assertThat(granted.get()).as("granted against the bucket's cap %d", bucketCap).isLessThanOrEqualTo(bucketCap)
                .isGreaterThanOrEqualTo(bucketCap * 3 / 4);
        assertThat(counters.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(granted.get());
        assertThat(counters).as("counters written").hasSizeGreaterThanOrEqualTo(app.shardCount() * 3 / 4);
        assertThat(counters.values()).as("the busiest counter took at most its cap, a %d-th of the bucket", app.shardCount())
                .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(app.shardCap()));
    }
}
