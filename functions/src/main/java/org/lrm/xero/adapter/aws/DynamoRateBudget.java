package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.domain.rate.AppMinuteWindow;
import org.lrm.xero.domain.rate.Decision;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.RatePolicy;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.domain.rate.TenantBudget;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.support.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The rate budget in RateBudgetTable. Per tenant one item ({@code TENANT#id / WINDOWS}) holds
 * everything {@link TenantBudget} is (slots as leases that lapse, minute and day buckets, a
 * pause), versioned: every change is read, decided by {@link RatePolicy} and written back only
 * if nobody changed it meanwhile, so instances never overbook. Taking a call also increments the
 * app-wide minute bucket ({@code APP / MINUTE#start}) under its cap, in the same transaction.
 * The tenant's day limit, as learned from Xero's counters, is its own item ({@code TENANT#id / LIMITS})
 * without TTL, so it is kept however long the tenant is idle; it is written in the same transaction as
 * the windows whenever it changes. Window items expire by TTL once idle longer than the day window.
 */
public final class DynamoRateBudget implements RateBudget {

    private static final JsonLog LOG = JsonLog.forClass(DynamoRateBudget.class);
    private static final int MAX_ATTEMPTS = 30;
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final Duration WINDOWS_TTL = Duration.ofDays(2);
    private static final Duration APP_BUCKET_TTL = Duration.ofHours(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final RatePolicy policy;
    private final AppMinuteWindow appMinute;
    private final Clock clock;

    public DynamoRateBudget(DynamoDbClient dynamo, String table, RatePolicy policy, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.policy = policy;
        this.appMinute = AppMinuteWindow.of(policy.limits());
        this.clock = clock;
    }

    @Override
    public Admission acquire(String tenantId, Priority priority) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Stored stored = load(tenantId);
            if (policy.decide(stored.budget(), priority, now) instanceof Decision.Wait wait) {
                return waitUntil(now, wait.until(), wait.reason());
            }
            String leaseId = UUID.randomUUID().toString();
            TenantBudget taken = policy.take(stored.budget(), leaseId, now);
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(versionedPut(tenantId, taken, stored.version(), now)).build(),
                        TransactWriteItem.builder().update(appMinuteIncrement(now)).build()));
                return new Admission.Granted(new Lease(tenantId, leaseId, policy.leaseUntil(now)));
            } catch (TransactionCanceledException e) {
                if (failedAt(e, 1)) {
                    return waitUntil(now, appMinute.nextBucket(now), WaitReason.APPMINUTE);
                }
                backOff(attempt);
            }
        }
        // So many instances at once on one tenant that a slot is the thing to wait for.
        return new Admission.Wait(policy.limits().concurrentWait(), WaitReason.CONCURRENT);
    }

    @Override
    public void release(Lease lease, Remaining remaining) {
        boolean released = update(lease.tenantId(), (budget, now) -> policy.release(budget, lease.leaseId(), remaining, now));
        if (!released) {
            LOG.warn("rate.release.contended", "tenantId", lease.tenantId(), "leaseUntil", lease.until().toString());
        }
        if (remaining.appMinute() != null) {
            raiseAppBucket(clock.instant(), appMinute.countAfterXeroSays(remaining.appMinute()));
        }
    }

    @Override
    public Admission.Wait onRateLimited(String tenantId, String problem, Duration retryAfter) {
        Decision.Wait[] wait = new Decision.Wait[1];
        update(tenantId, (budget, now) -> {
            RatePolicy.RateLimitedOutcome outcome = policy.rateLimited(budget, problem, retryAfter, now);
            wait[0] = outcome.pause();
            return outcome.budget();
        });
        // update() applies the change at least once, so the wait is always known here.
        Instant now = clock.instant();
        if (wait[0].reason() == WaitReason.APPMINUTE) {
            raiseAppBucket(now, appMinute.cap());
        }
        return waitUntil(now, wait[0].until(), wait[0].reason());
    }

    @Override
    public Snapshot snapshot(String tenantId) {
        Instant now = clock.instant();
        TenantBudget budget = load(tenantId).budget();
        Instant resumesAt = policy.decide(budget, Priority.BULK, now) instanceof Decision.Wait wait ? wait.until() : null;
        return new Snapshot(policy.minuteRemaining(budget, now), policy.dayRemaining(budget, now), resumesAt,
                budget.dayLimit());
    }

    // ---- storage -------------------------------------------------------------------------------

    private record Stored(TenantBudget budget, long version) {
    }

    private interface Change {
        TenantBudget apply(TenantBudget budget, Instant now);
    }

    /** Read, change, write if unchanged meanwhile; false if others kept winning. */
    private boolean update(String tenantId, Change change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Stored stored = load(tenantId);
            TenantBudget next = change.apply(stored.budget(), now);
            if (next.equals(stored.budget())) {
                return true;
            }
            Put put = versionedPut(tenantId, next, stored.version(), now);
            try {
                if (next.dayLimit() != stored.budget().dayLimit()) {
                    dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                            TransactWriteItem.builder().put(limitsPut(tenantId, next.dayLimit())).build()));
                    LOG.info("rate.dayLimitLearned", "tenantId", tenantId, "dayLimit", next.dayLimit(),
                            "was", stored.budget().dayLimit());
                } else {
                    dynamo.putItem(b -> b.tableName(put.tableName()).item(put.item())
                            .conditionExpression(put.conditionExpression())
                            .expressionAttributeNames(put.expressionAttributeNames())
                            .expressionAttributeValues(put.expressionAttributeValues()));
                }
                return true;
            } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
                backOff(attempt);
            }
        }
        return false;
    }

    /** The tenant's WINDOWS and LIMITS items in one strongly consistent read. */
    private Stored load(String tenantId) {
        List<Map<String, AttributeValue>> items = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(TableKeys.tenant(tenantId))))).items();
        int dayLimit = policy.limits().defaultDayLimit();
        Map<String, AttributeValue> windows = null;
        for (Map<String, AttributeValue> item : items) {
            switch (item.get(TableKeys.SK).s()) {
                case TableKeys.BUDGET_LIMITS -> dayLimit = Integer.parseInt(item.get("dayLimit").n());
                case TableKeys.BUDGET_WINDOWS -> windows = item;
                default -> {
                }
            }
        }
        if (windows == null) {
            return new Stored(TenantBudget.fresh(dayLimit), 0);
        }
        Map<String, Instant> leases = new HashMap<>();
        windows.get("leases").m().forEach((id, until) -> leases.put(id, Instant.ofEpochMilli(Long.parseLong(until.n()))));
        Instant pausedUntil = windows.containsKey("pausedUntil")
                ? Instant.ofEpochMilli(Long.parseLong(windows.get("pausedUntil").n())) : null;
        WaitReason pauseReason = windows.containsKey("pauseReason") ? WaitReason.valueOf(windows.get("pauseReason").s()) : null;
        return new Stored(new TenantBudget(dayLimit, leases, buckets(windows.get("minute")), buckets(windows.get("day")),
                pausedUntil, pauseReason), Long.parseLong(windows.get("version").n()));
    }

    private Put versionedPut(String tenantId, TenantBudget budget, long version, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.putAll(TableKeys.key(TableKeys.tenant(tenantId), TableKeys.BUDGET_WINDOWS));
        item.put("version", n(version + 1));
        Map<String, AttributeValue> leases = new HashMap<>();
        budget.leases().forEach((id, until) -> leases.put(id, n(until.toEpochMilli())));
        item.put("leases", AttributeValue.fromM(leases));
        item.put("minute", bucketsValue(budget.minute()));
        item.put("day", bucketsValue(budget.day()));
        if (budget.pausedUntil() != null) {
            item.put("pausedUntil", n(budget.pausedUntil().toEpochMilli()));
            item.put("pauseReason", s(budget.pauseReason().name()));
        }
        item.put("ttl", n(now.plus(WINDOWS_TTL).getEpochSecond()));
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (version == 0) {
            return put.conditionExpression("attribute_not_exists(pk)").build();
        }
        return put.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", n(version))).build();
    }

    private Put limitsPut(String tenantId, int dayLimit) {
        return Put.builder().tableName(table).item(Map.of(TableKeys.PK, s(TableKeys.tenant(tenantId)),
                TableKeys.SK, s(TableKeys.BUDGET_LIMITS), "dayLimit", n(dayLimit))).build();
    }

    private Update appMinuteIncrement(Instant now) {
        return Update.builder().tableName(table).key(appMinuteKey(now))
                .updateExpression("ADD #c :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#c) OR #c < :cap")
                .expressionAttributeNames(Map.of("#c", "count", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(appMinute.cap()),
                        ":ttl", n(now.plus(APP_BUCKET_TTL).getEpochSecond())))
                .build();
    }

    /** Makes the current app bucket count at least {@code atLeast}, so no more than its cap minus that is taken in it. */
    private void raiseAppBucket(Instant now, int atLeast) {
        if (atLeast <= 0) {
            return;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(appMinuteKey(now))
                    .updateExpression("SET #c = :v, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#c) OR #c < :v")
                    .expressionAttributeNames(Map.of("#c", "count", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":v", n(atLeast), ":ttl", n(now.plus(APP_BUCKET_TTL).getEpochSecond()))));
        } catch (ConditionalCheckFailedException alreadyHigher) {
            // The bucket already counts at least that many: nothing to correct.
        }
    }

    private Map<String, AttributeValue> appMinuteKey(Instant now) {
        return TableKeys.key(TableKeys.APP, TableKeys.appMinute(appMinute.bucketOf(now)));
    }

    private static boolean failedAt(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && CONDITIONAL_CHECK_FAILED.equals(reasons.get(index).code());
    }

    private static Admission.Wait waitUntil(Instant now, Instant until, WaitReason reason) {
        return new Admission.Wait(Duration.between(now, until), reason);
    }

    /** Another instance changed the item between our read and write: try again a little later, not in lockstep. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(2, 10L + 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the rate budget", e);
        }
    }

    private static SortedMap<Long, Integer> buckets(AttributeValue value) {
        SortedMap<Long, Integer> buckets = new TreeMap<>();
        if (value != null) {
            value.m().forEach((start, count) -> buckets.put(Long.parseLong(start), Integer.parseInt(count.n())));
        }
        return buckets;
    }

    private static AttributeValue bucketsValue(Map<Long, Integer> buckets) {
        Map<String, AttributeValue> m = new HashMap<>();
        buckets.forEach((start, count) -> m.put(Long.toString(start), n(count)));
        return AttributeValue.fromM(m);
    }
}
