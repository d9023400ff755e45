package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.bool;
import static org.lrm.xero.adapter.aws.Items.instant;
import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.num;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.RESYNC_ACTIVE;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;
import static org.lrm.xero.adapter.aws.TableKeys.resyncHistoryIndex;
import static org.lrm.xero.adapter.aws.TableKeys.resyncJob;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.lrm.xero.app.resync.ResyncHistory;
import org.lrm.xero.app.resync.ResyncJob;
import org.lrm.xero.app.resync.ResyncJobs;
import org.lrm.xero.domain.resync.ResyncState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Re-sync jobs in the integration table: the job {@code ORG#{orgId}} / {@code RESYNC#{jobId}}
 * (its progress updated in place, each step counted once through the set of steps done), the
 * invoices of each of its pages {@code RESYNC#{jobId}#PAGE#{n}}, and the organisation's running
 * job {@code RESYNC#ACTIVE}, taken with a condition so that two never run at once. Jobs are kept
 * 90 days. A job is also listed on gsi1 under {@code ORG#{orgId}#RESYNCS} by its creation time, so
 * that the latest are read without the pages' items.
 */
public final class DynamoResyncJobs implements ResyncJobs, ResyncHistory {

    private static final Duration KEEP = Duration.ofDays(90);
    private static final String UNFINISHED = "#state IN (:queued, :running, :waiting)";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoResyncJobs(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> start(ResyncJob job, Instant activeUntil, Instant now) {
        Map<String, AttributeValue> active = key(org(job.orgId()), RESYNC_ACTIVE);
        active.put("jobId", s(job.jobId()));
        active.put("activeUntil", s(Items.sortable(activeUntil)));
        active.put("ttl", n(activeUntil.getEpochSecond()));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    i -> i.put(p -> p.tableName(table).item(active)
                            .conditionExpression("attribute_not_exists(pk) OR activeUntil < :now")
                            .expressionAttributeValues(Map.of(":now", s(Items.sortable(now))))),
                    i -> i.put(p -> p.tableName(table).item(item(job)).conditionExpression("attribute_not_exists(pk)"))));
            return Optional.empty();
        } catch (TransactionCanceledException running) {
            Map<String, AttributeValue> held = dynamo.getItem(g -> g.tableName(table).key(key(org(job.orgId()), RESYNC_ACTIVE))
                    .consistentRead(true)).item();
            return Optional.of(held == null || held.isEmpty() ? "unknown" : str(held, "jobId"));
        }
    }

    @Override
    public Optional<ResyncJob> find(String orgId, String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).key(key(org(orgId), resyncJob(jobId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(job(orgId, item));
    }

    @Override
    public void recordPageInvoices(String orgId, String jobId, int page, Collection<String> invoiceIds) {
        Map<String, AttributeValue> item = key(org(orgId), TableKeys.resyncPage(jobId, page));
        item.put("invoiceIds", s(String.join(",", invoiceIds)));
        item.put("ttl", n(Instant.now().plus(KEEP).getEpochSecond()));
        dynamo.putItem(p -> p.tableName(table).item(item));
    }

    @Override
    public Set<String> pageInvoices(String orgId, String jobId) {
        Set<String> ids = new HashSet<>();
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(org(orgId)), ":prefix", s(TableKeys.resyncPages(jobId)))).build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            for (Map<String, AttributeValue> item : page.items()) {
                String joined = str(item, "invoiceIds");
                if (joined != null && !joined.isEmpty()) {
                    ids.addAll(List.of(joined.split(",")));
                }
            }
        }
        return ids;
    }

    @Override
    public void pageQueued(String orgId, String jobId, Instant now) {
        dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), resyncJob(jobId)))
                .updateExpression("SET updatedAt = :now ADD pagesQueued :one")
                .expressionAttributeValues(Map.of(":now", s(now.toString()), ":one", n(1))));
    }

    @Override
    public Optional<ResyncJob> completeStep(String orgId, String jobId, StepDone done, Instant now) {
        Map<String, AttributeValue> values = unfinishedValues();
        values.put(":stepSet", AttributeValue.fromSs(List.of(done.stepKey())));
        values.put(":step", s(done.stepKey()));
        values.put(":now", s(now.toString()));
        values.put(":i", n(done.invoices()));
        values.put(":p", n(done.pdfs()));
        values.put(":l", n(done.learners()));
        values.put(":f", n(done.failed()));
        values.put(":page", n(done.invoicePage() ? 1 : 0));
        ResyncJob.Checked checked = done.checked();
        values.put(":ci", n(checked.invoices()));
        values.put(":cpay", n(checked.payments()));
        values.put(":ccn", n(checked.creditNotes()));
        values.put(":cpre", n(checked.prepayments()));
        values.put(":cover", n(checked.overpayments()));
        values.put(":cl", n(checked.learners()));
        values.put(":cpdf", n(checked.pdfs()));
        StringBuilder set = new StringBuilder("SET #state = :running, updatedAt = :now");
        StringBuilder add = new StringBuilder(" ADD stepsDone :stepSet, invoicesCount :i, pdfsCount :p, learnersCount :l,"
                + " failedCount :f, pagesDone :page, checkedInvoices :ci, checkedPayments :cpay, checkedCreditNotes :ccn,"
                + " checkedPrepayments :cpre, checkedOverpayments :cover, checkedLearners :cl, checkedPdfs :cpdf");
        if (done.lastPage() != null) {
            set.append(", lastPage = :last");
            values.put(":last", n(done.lastPage()));
        }
        if (done.collectionDone() != null) {
            add.append(", collectionsDone :collection");
            values.put(":collection", AttributeValue.fromSs(List.of(done.collectionDone())));
        }
        return update(orgId, jobId, set + add.toString(),
                "(attribute_not_exists(stepsDone) OR NOT contains(stepsDone, :step)) AND " + UNFINISHED, values);
    }

    @Override
    public List<ResyncJob> recent(String orgId, int limit) {
        QueryResponse r = dynamo.query(q -> q.tableName(table).indexName("gsi1").keyConditionExpression("gsi1pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(resyncHistoryIndex(orgId)))).scanIndexForward(false).limit(limit));
        return r.items().stream().map(item -> job(orgId, item)).toList();
    }

    @Override
    public Optional<ResyncJob> completePhase(String orgId, String jobId, ResyncJob.Phase phase, Instant now) {
        Map<String, AttributeValue> values = unfinishedValues();
        values.put(":phase", AttributeValue.fromSs(List.of(phase.name())));
        values.put(":now", s(now.toString()));
        return update(orgId, jobId, "SET updatedAt = :now ADD phasesDone :phase", UNFINISHED, values);
    }

    @Override
    public void transactionsQueued(String orgId, String jobId, Instant now) {
        dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), resyncJob(jobId)))
                .updateExpression("SET transactionsQueued = :yes, updatedAt = :now")
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":now", s(now.toString()))));
    }

    @Override
    public void waiting(String orgId, String jobId, Instant resumesAt, Instant now) {
        Map<String, AttributeValue> values = unfinishedValues();
        values.put(":wait", s(ResyncState.WAITING_FOR_XERO_LIMIT.name()));
        values.put(":resumes", s(resumesAt.toString()));
        values.put(":now", s(now.toString()));
        // The latest wait is kept: an earlier one recorded later must not hide steps parked longer.
        update(orgId, jobId, "SET #state = :wait, resumesAt = :resumes, updatedAt = :now",
                "(attribute_not_exists(resumesAt) OR resumesAt < :resumes) AND " + UNFINISHED, values);
    }

    @Override
    public boolean finish(String orgId, String jobId, boolean done, List<String> reasons, Instant now) {
        Map<String, AttributeValue> values = unfinishedValues();
        values.put(":end", s((done ? ResyncState.DONE : ResyncState.FAILED).name()));
        values.put(":reasons", AttributeValue.fromL(reasons.stream().map(Items::s).toList()));
        values.put(":now", s(now.toString()));
        if (update(orgId, jobId, "SET #state = :end, reasons = :reasons, finishedAt = :now, updatedAt = :now REMOVE resumesAt",
                UNFINISHED, values).isEmpty()) {
            return false;
        }
        try {
            dynamo.deleteItem(d -> d.tableName(table).key(key(org(orgId), RESYNC_ACTIVE)).conditionExpression("jobId = :job")
                    .expressionAttributeValues(Map.of(":job", s(jobId))));
        } catch (ConditionalCheckFailedException anotherJobSince) {
            // The marker had expired and another job runs now: it is that job's.
        }
        return true;
    }

    private Optional<ResyncJob> update(String orgId, String jobId, String expression, String condition,
            Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse r = dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), resyncJob(jobId)))
                    .updateExpression(expression).conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(Map.of("#state", "state")).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(job(orgId, r.attributes()));
        } catch (ConditionalCheckFailedException countedOrEnded) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> unfinishedValues() {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":queued", s(ResyncState.QUEUED.name()));
        values.put(":running", s(ResyncState.RUNNING.name()));
        values.put(":waiting", s(ResyncState.WAITING_FOR_XERO_LIMIT.name()));
        return values;
    }

    private static Map<String, AttributeValue> item(ResyncJob job) {
        Map<String, AttributeValue> item = key(org(job.orgId()), resyncJob(job.jobId()));
        item.put("jobId", s(job.jobId()));
        item.put("kind", s(job.kind().name()));
        item.put("tenantId", s(job.tenantId()));
        item.put("state", s(job.state().name()));
        put(item, "from", job.from());
        put(item, "to", job.to());
        put(item, "since", job.since());
        put(item, "until", job.until());
        item.put("phases", AttributeValue.fromSs(job.phases().stream().map(Enum::name).toList()));
        item.put("invoicesCount", n(0));
        item.put("learnersCount", n(0));
        item.put("pdfsCount", n(0));
        item.put("failedCount", n(0));
        item.put("pagesDone", n(0));
        item.put("pagesQueued", n(job.pagesQueued()));
        item.put("transactionsQueued", AttributeValue.fromBool(false));
        item.put("createdAt", s(job.createdAt().toString()));
        item.put("updatedAt", s(job.updatedAt().toString()));
        item.put("gsi1pk", s(resyncHistoryIndex(job.orgId())));
        item.put("gsi1sk", s(Items.sortable(job.createdAt()) + "#" + job.jobId()));
        item.put("ttl", n(job.createdAt().plus(KEEP).getEpochSecond()));
        return item;
    }

    private static void put(Map<String, AttributeValue> item, String name, Object value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    private static ResyncJob job(String orgId, Map<String, AttributeValue> item) {
        Set<ResyncJob.Phase> phases = EnumSet.noneOf(ResyncJob.Phase.class);
        strings(item, "phases").forEach(p -> phases.add(ResyncJob.Phase.valueOf(p)));
        Set<ResyncJob.Phase> phasesDone = EnumSet.noneOf(ResyncJob.Phase.class);
        strings(item, "phasesDone").forEach(p -> phasesDone.add(ResyncJob.Phase.valueOf(p)));
        AttributeValue reasons = item.get("reasons");
        Long lastPage = num(item, "lastPage");
        return new ResyncJob(orgId, str(item, "jobId"), ResyncJob.Kind.valueOf(str(item, "kind")), str(item, "tenantId"),
                ResyncState.valueOf(str(item, "state")), date(item, "from"), date(item, "to"), instant(item, "since"),
                instant(item, "until"), phases, phasesDone,
                new ResyncJob.Counts(count(item, "invoicesCount"), count(item, "learnersCount"), count(item, "pdfsCount"),
                        count(item, "failedCount")),
                (int) count(item, "pagesDone"), (int) count(item, "pagesQueued"), lastPage == null ? null : lastPage.intValue(),
                strings(item, "collectionsDone"), bool(item, "transactionsQueued"), instant(item, "resumesAt"),
                reasons == null || !reasons.hasL() ? List.of() : reasons.l().stream().map(AttributeValue::s).toList(),
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "finishedAt"),
                new ResyncJob.Checked(count(item, "checkedInvoices"), count(item, "checkedPayments"),
                        count(item, "checkedCreditNotes"), count(item, "checkedPrepayments"),
                        count(item, "checkedOverpayments"), count(item, "checkedLearners"), count(item, "checkedPdfs")));
    }

    private static Set<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasSs() ? Set.of() : v.ss().stream().collect(Collectors.toSet());
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        Long v = num(item, name);
        return v == null ? 0 : v;
    }

    private static LocalDate date(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : LocalDate.parse(v);
    }
}
