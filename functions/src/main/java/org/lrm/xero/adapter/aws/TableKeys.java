package org.lrm.xero.adapter.aws;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout: every key the stores write, built here and nowhere else.
 * <pre>
 * IntegrationTable          pk                                  sk
 *   connection              ORG#{orgId}                         CONNECTION      (gsi1 XERO#CONNECTIONS / ORG#{orgId})
 *   token lease             ORG#{orgId}                         TOKENLEASE
 *   revocations pending     ORG#{orgId}                         REVOCATION      (gsi1 XERO#REVOCATIONS / ORG#{orgId}); no token
 *   tenant's organisation   TENANT#{tenantId}                   ORG
 *   learner                 ORG#{orgId}                         LEARNER#{learnerId}  (gsi1 ORG#{orgId}#LEARNERS / {changed}#{learnerId};
 *                                                                while FAILED, index failing ORG#{orgId} / sk)
 *   RefInternal reserved    ORG#{orgId}                         REF#{refInternal}
 *   contact → learner       ORG#{orgId}                         CONTACT#{contactId}
 *   learner's invoice       ORG#{orgId}                         INVOICE#{invoiceId}  (gsi1 ORG#{orgId}#LEARNER#{learnerId}#INVOICES / {date}#{invoiceId})
 *   webhook event done      ORG#{orgId}                         INVOICEEVENT#{key}
 *   poll watermark          ORG#{orgId}                         WATERMARK#{kind}
 *   re-sync job             ORG#{orgId}                         RESYNC#{jobId}  (gsi1 ORG#{orgId}#RESYNCS / {createdAt}), its pages RESYNC#{jobId}#PAGE#{n}, the running one RESYNC#ACTIVE
 *   logbook entry           ORG#{orgId}#LEARNER#{learnerId}     LOG#{seq}#{uuid} or ONCE#{onceKey}  (gsi1 ...#LOG / {at}#...)
 *   connect in progress     OAUTHSTATE#{stateHash}              STATE
 *   operator's replay       OPERATOR#AUDIT                      {at}#{uuid}
 * RateBudgetTable
 *   tenant's windows        TENANT#{tenantId}                   WINDOWS, and its day limit LIMITS
 *   app-wide minute         APP                                 MINUTE#{bucket start}
 * </pre>
 */
final class TableKeys {

    static final String PK = "pk";
    static final String SK = "sk";

    /** The gsi1 partition every connection is listed under (the schedules read them all). */
    static final String ALL_CONNECTIONS = "XERO#CONNECTIONS";
    /** The gsi1 partition organisations with revocations pending are listed under (the nightly run retries them). */
    static final String ALL_REVOCATIONS = "XERO#REVOCATIONS";

    /**
     * The sparse index of failed learners: only a learner whose sync FAILED has its partition
     * attribute ({@link #FAILING_ORG}, its organisation's partition), so operators count and list an
     * organisation's failures without reading its other learners.
     */
    static final String FAILING_INDEX = "failing";
    static final String FAILING_ORG = "failingOrg";
    /** The partition of operators' replays, one item each. */
    static final String OPERATOR_AUDIT = "OPERATOR#AUDIT";

    static final String CONNECTION = "CONNECTION";
    static final String TOKEN_LEASE = "TOKENLEASE";
    static final String REVOCATION = "REVOCATION";
    /** Under a tenant's partition: the organisation it is connected to. */
    static final String TENANT_ORG = "ORG";
    static final String LEARNER = "LEARNER#";
    static final String REF = "REF#";
    static final String CONTACT = "CONTACT#";
    static final String INVOICE = "INVOICE#";
    static final String INVOICE_EVENT = "INVOICEEVENT#";
    static final String WATERMARK = "WATERMARK#";
    static final String RESYNC_ACTIVE = "RESYNC#ACTIVE";
    static final String LOG = "LOG#";
    static final String ONCE = "ONCE#";
    static final String OAUTH_STATE = "STATE";
    static final String BUDGET_WINDOWS = "WINDOWS";
    static final String BUDGET_LIMITS = "LIMITS";
    static final String APP = "APP";

    private TableKeys() {
    }

    /** A key item, mutable so that a store can add the item's attributes to it. */
    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(PK, AttributeValue.fromS(pk));
        key.put(SK, AttributeValue.fromS(sk));
        return key;
    }

    /** An organisation's partition. */
    static String org(String orgId) {
        return "ORG#" + orgId;
    }

    /** A Xero tenant's partition (in the integration table its organisation; in the budget table its windows). */
    static String tenant(String tenantId) {
        return "TENANT#" + tenantId;
    }

    /** A learner's own partition: the logbook. */
    static String learnerPartition(String orgId, String learnerId) {
        return org(orgId) + "#" + LEARNER + learnerId;
    }

    /** gsi1: an organisation's learners by last change (the finance report). */
    static String learnersIndex(String orgId) {
        return org(orgId) + "#LEARNERS";
    }

    /** gsi1: a learner's invoices by date. */
    static String learnerInvoicesIndex(String orgId, String learnerId) {
        return learnerPartition(orgId, learnerId) + "#INVOICES";
    }

    /** gsi1: a learner's logbook by time. */
    static String logIndex(String orgId, String learnerId) {
        return learnerPartition(orgId, learnerId) + "#LOG";
    }

    /** gsi1: an organisation's re-sync jobs by creation time (the job history). */
    static String resyncHistoryIndex(String orgId) {
        return org(orgId) + "#RESYNCS";
    }

    static String resyncJob(String jobId) {
        return "RESYNC#" + jobId;
    }

    /** The sort-key prefix of a re-sync job's pages. */
    static String resyncPages(String jobId) {
        return resyncJob(jobId) + "#PAGE#";
    }

    static String resyncPage(String jobId, int page) {
        return resyncPages(jobId) + String.format("%05d", page);
    }

    static String oauthState(String stateHash) {
        return "OAUTHSTATE#" + stateHash;
    }

    static String appMinute(long bucketStart) {
        return "MINUTE#" + bucketStart;
    }

    /** The id in a sort key made of {@code prefix} and the id. */
    static String after(String prefix, String sortKey) {
        return sortKey.substring(prefix.length());
    }
}
