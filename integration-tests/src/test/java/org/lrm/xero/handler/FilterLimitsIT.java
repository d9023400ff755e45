package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.WorkerRig;

/**
 * Xero's front door answers a query string over 2,048 characters with a 404, and the integration reads a 404 as
 * "not there": a long {@code IDs} or {@code where} filter would dead-letter its work. Through a proxy that records
 * every request the integration sends to Xero: a bulk sync of 500 learners, whose 500 CONTACT events come back in
 * few deliveries, and a nightly run that finds 1,000 contacts archived since the last (five of them learners'
 * contacts finance merged into others, their webhooks lost) never send a query Xero would refuse, and each merge is
 * followed on the nightly path. Prints a {@code FILTER-RUN} line for docs/reliability.md.
 */
@ExtendWith(AwsEmulator.class)
class FilterLimitsIT {

    private static final int LEARNERS = 500;
    private static final int ARCHIVED = 1_000;
    private static final int MERGED = 5;
    /** Xero's front door: IIS's default maxQueryString. */
    private static final int MAX_QUERY = 2_048;

    private EndToEndFlow flow;
    private TokenEndpointProxy xero;

    @AfterEach
    void stop() {
        if (flow != null) {
            flow.close();
        }
        if (xero != null) {
            xero.close();
        }
    }

    @Test
    void fiveHundredLearnersContactEventsAndANightOfAThousandArchivedContactsNeverSendAFilterXeroWouldRefuse() throws Exception {
        flow = EndToEndFlow.start();
        xero = new TokenEndpointProxy(flow.rig.sandbox.baseUri());
        flow.rig.extraEnvironment.put("XERO_API_URL", xero.baseUri().toString());
        flow.connect(null, UnaryOperator.identity());

        flow.bulkSync(0, LEARNERS);
        flow.settle();
        List<TokenEndpointProxy.Answered> syncing = xero.answered();
        assertThat(flow.logged("invoiceEvents.processed")).as("the CONTACT events were processed").isPositive();
        List<LearnerRecord> learners = IntStream.range(0, LEARNERS)
                .mapToObj(i -> flow.learners.find(EndToEndFlow.ORG, "L-" + i).orElseThrow()).toList();
        assertThat(learners).allSatisfy(r -> assertThat(r.state()).isEqualTo(SyncState.SYNCED));

        // Finance's day, its webhooks lost: contacts of its own archived, five learners' merged into new ones,
        // the other learners' archived.
        FinanceDesk finance = new FinanceDesk(flow.rig.sandbox.baseUri(), flow.rig.admin.userToken(flow.tenantId), flow.tenantId);
        List<String> financeOwn = new ArrayList<>();
        for (int i = 0; i < ARCHIVED - LEARNERS; i += 50) {
            financeOwn.addAll(finance.createContacts(IntStream.range(i, i + 50).mapToObj(n -> "Walk-in customer " + n).toList()));
        }
        flow.faults(Map.of("dropWebhookRate", 1.0));
        finance.archiveContacts(financeOwn);
        List<String> survivors = finance.createContacts(IntStream.range(0, MERGED).mapToObj(n -> "Merged Survivor " + n).toList());
        for (int i = 0; i < MERGED; i++) {
            flow.rig.admin.mergeContacts(flow.tenantId, learners.get(i).contactId(), survivors.get(i));
        }
        finance.archiveContacts(learners.subList(MERGED, LEARNERS).stream().map(LearnerRecord::contactId).toList());
        flow.rig.admin.deliverWebhooksNow();
        flow.faults(Map.of());
        long archived = countArchived();
        assertThat(archived).isEqualTo(ARCHIVED);

        flow.advance(Duration.ofHours(1));
        xero.clear();
        new NightlySyncHandler(flow.rig.root("NightlySyncFunction", ResyncRoot::of)).handleRequest(new ScheduledEvent(), null);
        ResyncPageWorker pages = new ResyncPageWorker(flow.rig.root("ResyncPageWorkerFunction", ResyncRoot::of), EndToEndFlow.TEST_TIME);
        WorkerRig pageRig = new WorkerRig(flow.rig.aws.sqs(), flow.settings.resyncPagesQueueUrl(), e -> pages.handleRequest(e, null),
                flow.rig.admin, flow.rig.clock, 2);
        for (int pass = 0; pass < 20 && pageRig.inQueue(flow.settings.resyncPagesQueueUrl()) > 0; pass++) {
            pageRig.pass();
            pageRig.advance(EndToEndFlow.MINUTE_WINDOW);
        }
        flow.settle();
        List<TokenEndpointProxy.Answered> night = xero.answered();

        for (int i = 0; i < MERGED; i++) {
            LearnerRecord merged = flow.learners.find(EndToEndFlow.ORG, "L-" + i).orElseThrow();
            assertThat(merged.contactId()).as("learner L-%d follows the merge", i).isEqualTo(survivors.get(i));
            assertThat(new DynamoLogbook(flow.rig.aws.dynamoDb(), flow.settings.tableName()).newestFirst(EndToEndFlow.ORG,
                    "L-" + i, 10)).extracting(LogEntry::kind).contains("CONTACT_MERGED");
        }
        LearnerRecord archivedLearner = flow.learners.find(EndToEndFlow.ORG, "L-" + (LEARNERS - 1)).orElseThrow();
        assertThat(archivedLearner.state()).isEqualTo(SyncState.FAILED);
        assertThat(archivedLearner.error()).contains("archived this learner's Xero contact");
        assertThat(night).anySatisfy(a -> assertThat(a.request()).startsWith("GET /api.xro/2.0/Contacts?")
                .contains("page=2").contains("pageSize=1000"));
        for (List<TokenEndpointProxy.Answered> requests : List.of(syncing, night)) {
            assertThat(requests).isNotEmpty().allSatisfy(a -> {
                assertThat(a.queryLength()).as(a.request()).isLessThanOrEqualTo(MAX_QUERY);
                assertThat(a.status()).as(a.request()).isNotEqualTo(404);
            });
        }
        assertThat(flow.deadLetters()).isEmpty();
        TokenEndpointProxy.Answered longest = java.util.stream.Stream.concat(syncing.stream(), night.stream())
                .max(Comparator.comparingInt(TokenEndpointProxy.Answered::queryLength)).orElseThrow();
        System.out.println("FILTER-RUN contactReadsAfterSync=" + count(syncing, "GET /api.xro/2.0/Contacts")
                + " contactReadsAtNight=" + count(night, "GET /api.xro/2.0/Contacts") + " requests=" + (syncing.size() + night.size())
                + " longestQuery=" + longest.queryLength() + " (" + longest.request().substring(0, Math.min(80, longest.request().length()))
                + "...) notFound=0");
    }

    private long countArchived() {
        long n = 0;
        for (JsonNode c : flow.rig.admin.state(flow.tenantId).get("Contacts")) {
            if ("ARCHIVED".equals(c.path("ContactStatus").asText())) {
                n++;
            }
        }
        return n;
    }

    private static long count(List<TokenEndpointProxy.Answered> requests, String prefix) {
        return requests.stream().filter(a -> a.request().startsWith(prefix)).count();
    }
}
