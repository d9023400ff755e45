package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.instant;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.CONTACT;
import static org.lrm.xero.adapter.aws.TableKeys.FAILING_INDEX;
import static org.lrm.xero.adapter.aws.TableKeys.FAILING_ORG;
import static org.lrm.xero.adapter.aws.TableKeys.LEARNER;
import static org.lrm.xero.adapter.aws.TableKeys.REF;
import static org.lrm.xero.adapter.aws.TableKeys.after;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.RefInternalTaken;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncRules;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Learners in the integration table. Items, per organisation {@code ORG#{orgId}}:
 * {@code LEARNER#{learnerId}} (snapshot and Xero state; gsi1 orders them by last change, for the
 * finance report), {@code REF#{refInternal}} (keeps RefInternal unique) and
 * {@code CONTACT#{contactId}} (the contact → learner link). A learner whose sync failed is also in
 * the sparse index {@code failing} ({@link TableKeys#FAILING_INDEX}) while it stays FAILED.
 */
public final class DynamoLearnerStore implements LearnerStore, LearnerDirectory {

    /** A learner, in the JSON this store keeps: what its warm-up writes and reads. */
    private static final String PRIMING_LEARNER = """
            {"learnerId":"snapstart-priming","refInternal":"P000001","firstName":"Priming","lastName":"Learner",
             "email":"priming@example.org","phone":"+61 400 000 000","address":{"line1":"1 Main St","city":"Perth",
             "region":"WA","postalCode":"6000","country":"AU"},"syncToXero":true,"enrolments":[{"enrolmentId":"E-1",
             "course":"BSB50120","startDate":"2027-02-01","status":"CONFIRMED"}]}""";

    private final DynamoDbClient dynamo;
    private final String table;
    /** Kept as long as the store lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    public DynamoLearnerStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.priming = Priming.register("learner store", DynamoLearnerStore::warmUp);
    }

    /**
     * SnapStart priming, no I/O: a learner as this store writes and reads it, then compared and
     * weighed for a sync as a save does with what it read.
     */
    private static void warmUp() {
        try {
            Learner learner = Json.MAPPER.readValue(PRIMING_LEARNER, Learner.class);
            Learner again = Json.MAPPER.readValue(json(learner), Learner.class);
            if (!learner.equals(again) || learner.hashCode() != again.hashCode() || !SyncRules.syncOwed(learner, null, null)) {
                throw new IllegalStateException("a learner changed in a JSON round trip, or owes no first sync");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<LearnerRecord> find(String orgId, String learnerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(org(orgId), LEARNER + learnerId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(orgId, item));
    }

    @Override
    public Map<String, LearnerRecord> findAll(String orgId, Collection<String> learnerIds) {
        Map<String, LearnerRecord> found = new LinkedHashMap<>();
        Batches.get(dynamo, table, learnerIds.stream().map(id -> key(org(orgId), LEARNER + id)).toList(), true)
                .forEach(item -> {
                    LearnerRecord r = record(orgId, item);
                    found.put(r.learnerId(), r);
                });
        return found;
    }

    @Override
    public void save(String orgId, List<Learner> learners, Map<String, SyncState> states, Instant now) {
        // One read finds both the learners as stored and who holds each RefInternal (consistently: a
        // reservation made just before must be seen). Every RefInternal is checked before anything
        // is written, so a clash stores nothing.
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        learners.forEach(learner -> keys.add(key(org(orgId), LEARNER + learner.learnerId())));
        learners.forEach(learner -> keys.add(key(org(orgId), REF + learner.refInternal())));
        Map<String, LearnerRecord> existing = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, keys, true)) {
            String sk = str(item, TableKeys.SK);
            if (sk.startsWith(REF)) {
                owners.put(after(REF, sk), str(item, "learnerId"));
            } else {
                LearnerRecord r = record(orgId, item);
                existing.put(r.learnerId(), r);
            }
        }
        for (Learner learner : learners) {
            String owner = owners.get(learner.refInternal());
            if (owner != null && !owner.equals(learner.learnerId())) {
                throw new RefInternalTaken(learner.refInternal());
            }
        }
        // No transaction: bulk saves of 10,000 learners would need hundreds, and each learner's
        // reservation already guards the one invariant.
        Batches.parallel(learners, learner -> write(orgId, learner, existing.get(learner.learnerId()),
                states.get(learner.learnerId()), now));
    }

    @Override
    public void save(String orgId, Learner learner, LearnerRecord before, SyncState state, Instant now) {
        write(orgId, learner, before, state, now);
    }

    /**
     * Reserves the learner's reference (conditionally, against a concurrent save), stores the
     * snapshot, then releases a reference it no longer uses. Each step is idempotent, so a retry
     * after a crash completes the save.
     */
    private void write(String orgId, Learner learner, LearnerRecord before, SyncState state, Instant now) {
        // A stored learner already holds its reference: it was reserved before the snapshot was
        // written, and only this learner releases it, when it moves to another. So an edit that keeps
        // the reference (most saves) skips the reservation, one DynamoDB write fewer.
        String oldRef = before == null ? null : before.learner().refInternal();
        boolean keepsReference = learner.refInternal().equals(oldRef);
        if (!keepsReference) {
            reserve(orgId, learner);
        }
        dynamo.updateItem(saveLearner(orgId, learner, state, now));
        if (oldRef != null && !keepsReference) {
            try {
                dynamo.deleteItem(d -> d.tableName(table).key(key(org(orgId), REF + oldRef))
                        .conditionExpression("learnerId = :id")
                        .expressionAttributeValues(Map.of(":id", s(learner.learnerId()))));
            } catch (ConditionalCheckFailedException alreadyReused) {
                // Another learner took the old reference since: it is theirs now.
            }
        }
    }

    private void reserve(String orgId, Learner learner) {
        try {
            dynamo.putItem(p -> p.tableName(table)
                    .item(reservation(orgId, learner))
                    .conditionExpression("attribute_not_exists(pk) OR learnerId = :id")
                    .expressionAttributeValues(Map.of(":id", s(learner.learnerId()))));
        } catch (ConditionalCheckFailedException e) {
            throw new RefInternalTaken(learner.refInternal());
        }
    }

    private static Map<String, AttributeValue> reservation(String orgId, Learner learner) {
        Map<String, AttributeValue> item = key(org(orgId), REF + learner.refInternal());
        item.put("learnerId", s(learner.learnerId()));
        return item;
    }

    private UpdateItemRequest saveLearner(String orgId, Learner learner, SyncState state, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":learner", s(json(learner)));
        values.put(":ref", s(learner.refInternal()));
        values.put(":sync", AttributeValue.fromBool(learner.syncToXero()));
        values.put(":state", s(state.name()));
        values.put(":now", s(now.toString()));
        values.put(":gpk", s(TableKeys.learnersIndex(orgId)));
        values.put(":gsk", s(Items.sortable(now) + "#" + learner.learnerId()));
        String failing;
        if (state == SyncState.FAILED) {
            values.put(":failing", s(org(orgId)));
            failing = ", " + FAILING_ORG + " = :failing";
        } else {
            failing = " REMOVE " + FAILING_ORG;
        }
        return UpdateItemRequest.builder().tableName(table)
                .key(key(org(orgId), LEARNER + learner.learnerId()))
                .updateExpression("SET learner = :learner, refInternal = :ref, syncToXero = :sync, syncState = :state,"
                        + " updatedAt = :now, gsi1pk = :gpk, gsi1sk = :gsk" + failing)
                .expressionAttributeValues(values).build();
    }

    @Override
    public void recordSynced(String orgId, List<Synced> synced, Instant now) {
        // The contact → learner links first: should the updates not happen, the learners are still
        // unsynced and their next push finds the contacts again (idempotency key or ContactNumber).
        Batches.put(dynamo, table, synced.stream().map(l -> contactLink(orgId, l.contactId(), l.learnerId(), l.writtenAt())).toList());
        Batches.parallel(synced, l -> {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":state", s(SyncState.SYNCED.name()));
            values.put(":cid", s(l.contactId()));
            values.put(":cname", s(l.contactName()));
            // A contact may have no ContactNumber (one finance made, adopted after a merge in Xero).
            values.put(":cnum", l.contactNumber() == null ? AttributeValue.fromNul(true) : s(l.contactNumber()));
            values.put(":fp", s(l.fingerprint()));
            values.put(":now", s(now.toString()));
            values.put(":gsk", s(Items.sortable(now) + "#" + l.learnerId()));
            dynamo.updateItem(u -> u.tableName(table)
                    .key(key(org(orgId), LEARNER + l.learnerId()))
                    .updateExpression("SET syncState = :state, contactId = :cid, contactName = :cname,"
                            + " contactNumber = :cnum, syncedFingerprint = :fp, lastSyncedAt = :now,"
                            + " updatedAt = :now, gsi1sk = :gsk REMOVE syncError, creatingAs, " + FAILING_ORG)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
        });
    }

    @Override
    public void recordCreating(String orgId, Map<String, String> contactNumbers, Instant now) {
        Batches.parallel(List.copyOf(contactNumbers.entrySet()), e -> dynamo.updateItem(u -> u.tableName(table)
                .key(key(org(orgId), LEARNER + e.getKey()))
                .updateExpression("SET creatingAs = :num")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":num", s(e.getValue())))));
    }

    @Override
    public void recordCreateNotSent(String orgId, Collection<String> learnerIds) {
        Batches.parallel(List.copyOf(learnerIds), learnerId -> dynamo.updateItem(u -> u.tableName(table)
                .key(key(org(orgId), LEARNER + learnerId))
                .updateExpression("REMOVE creatingAs")
                .conditionExpression("attribute_exists(pk)")));
    }

    @Override
    public void recordFailed(String orgId, String learnerId, String error, Instant now) {
        dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), LEARNER + learnerId))
                .updateExpression("SET syncState = :state, syncError = :err, updatedAt = :now, " + FAILING_ORG + " = :failing"
                        + " REMOVE creatingAs")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":state", s(SyncState.FAILED.name()), ":err", s(error),
                        ":now", s(now.toString()), ":failing", s(org(orgId)))));
    }

    @Override
    public void recordMerged(String orgId, String learnerId, String intoLearnerId, Instant now) {
        dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), LEARNER + learnerId))
                .updateExpression("SET mergedInto = :into, updatedAt = :now, gsi1sk = :gsk")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":into", s(intoLearnerId), ":now", s(now.toString()),
                        ":gsk", s(Items.sortable(now) + "#" + learnerId))));
    }

    @Override
    public Map<String, ContactLink> contactLinks(String orgId, Collection<String> contactIds) {
        Map<String, ContactLink> links = new HashMap<>();
        Batches.get(dynamo, table, contactIds.stream().map(c -> key(org(orgId), CONTACT + c)).toList(), false)
                .forEach(item -> links.put(after(CONTACT, str(item, TableKeys.SK)),
                        new ContactLink(str(item, "learnerId"), instant(item, "writtenAt"))));
        return links;
    }

    @Override
    public void linkContact(String orgId, String contactId, String learnerId) {
        dynamo.putItem(b -> b.tableName(table).item(contactLink(orgId, contactId, learnerId, null)));
    }

    private static Map<String, AttributeValue> contactLink(String orgId, String contactId, String learnerId,
            Instant writtenAt) {
        Map<String, AttributeValue> link = key(org(orgId), CONTACT + contactId);
        link.put("learnerId", s(learnerId));
        if (writtenAt != null) {
            link.put("writtenAt", s(writtenAt.toString()));
        }
        return link;
    }

    /**
     * A page of the learners index ({@code {changed}#{learnerId}}) from {@code since}, or after the position
     * a page before ended at (its sort key): DynamoDB is asked for one more than the page, so that {@code more}
     * is known, and each query answers at most 1 MB, so a page of large learners takes a few.
     */
    @Override
    public ChangedPage changedSince(String orgId, Instant since, String afterPosition, int limit) {
        String from = Items.sortable(since);
        boolean after = afterPosition != null && afterPosition.compareTo(from) >= 0;
        Map<String, AttributeValue> start = null;
        List<Changed> out = new ArrayList<>();
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :pk AND gsi1sk " + (after ? ">" : ">=") + " :from")
                    .expressionAttributeValues(Map.of(":pk", s(TableKeys.learnersIndex(orgId)), ":from", s(after ? afterPosition : from)))
                    .limit(limit + 1 - out.size()).exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> out.add(new Changed(record(orgId, item), str(item, "gsi1sk"))));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() <= limit);
        boolean more = out.size() > limit;
        return new ChangedPage(more ? List.copyOf(out.subList(0, limit)) : List.copyOf(out), more);
    }

    @Override
    public List<String> learnersToSync(String orgId) {
        List<String> ids = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .filterExpression("syncToXero = :yes AND attribute_not_exists(mergedInto)")
                .projectionExpression("sk")
                .expressionAttributeValues(Map.of(":pk", s(org(orgId)), ":prefix", s(LEARNER),
                        ":yes", AttributeValue.fromBool(true))).build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            page.items().forEach(item -> ids.add(after(LEARNER, str(item, TableKeys.SK))));
        }
        return ids;
    }

    @Override
    public LearnerDirectory.Page page(String orgId, SyncState state, String afterLearnerId, int limit) {
        if (state == SyncState.FAILED) {
            return failed(orgId, afterLearnerId, limit);
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(org(orgId)));
        values.put(":prefix", s(LEARNER));
        if (state != null) {
            values.put(":state", s(state.name()));
        }
        List<LearnerRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = afterLearnerId == null ? null : key(org(orgId), LEARNER + afterLearnerId);
        do {
            // At most what is still wanted is read each time, so a page never ends past a learner it did not return.
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(q -> q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .filterExpression(state == null ? null : "syncState = :state")
                    .expressionAttributeValues(values).exclusiveStartKey(from).limit(limit - found.size()));
            r.items().forEach(item -> found.add(record(orgId, item)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return new LearnerDirectory.Page(found, start != null);
    }

    @Override
    public int failedCount(String orgId) {
        int count = 0;
        for (QueryResponse page : dynamo.queryPaginator(q -> q.tableName(table).indexName(FAILING_INDEX)
                .keyConditionExpression(FAILING_ORG + " = :org").expressionAttributeValues(Map.of(":org", s(org(orgId))))
                .select(Select.COUNT))) {
            count += page.count();
        }
        return count;
    }

    /**
     * The organisation's failed learners from the sparse index, which holds nothing else: a page reads
     * only what it returns (and one more, to know whether more follow), however many learners are fine.
     */
    private LearnerDirectory.Page failed(String orgId, String afterLearnerId, int limit) {
        Map<String, AttributeValue> values = Map.of(":org", s(org(orgId)),
                ":after", s(afterLearnerId == null ? LEARNER : LEARNER + afterLearnerId));
        List<LearnerRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(q -> q.tableName(table).indexName(FAILING_INDEX)
                    .keyConditionExpression(FAILING_ORG + " = :org AND sk > :after").expressionAttributeValues(values)
                    .exclusiveStartKey(from).limit(limit + 1 - found.size()));
            r.items().forEach(item -> found.add(record(orgId, item)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && found.size() <= limit);
        boolean more = found.size() > limit;
        return new LearnerDirectory.Page(List.copyOf(more ? found.subList(0, limit) : found), more);
    }

    private static LearnerRecord record(String orgId, Map<String, AttributeValue> item) {
        try {
            Learner learner = Json.MAPPER.readValue(str(item, "learner"), Learner.class);
            return new LearnerRecord(orgId, learner, SyncState.valueOf(str(item, "syncState")),
                    str(item, "contactId"), str(item, "contactName"), str(item, "contactNumber"),
                    instant(item, "lastSyncedAt"), str(item, "syncError"), str(item, "syncedFingerprint"),
                    instant(item, "updatedAt"), str(item, "mergedInto"), str(item, "creatingAs"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable learner item " + str(item, "sk"), e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
