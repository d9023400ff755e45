package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;

/**
 * An organisation on Xero's Starter tier (1,000 calls a day), which the integration is not told of: it learns the
 * limit from Xero's answers, gives bulk work four fifths of it and keeps a fifth for people, and no work waits
 * longer than Xero's day. 200 learners are bulk-synced; finance raises invoices through the day and pays every
 * third, until their PDFs (one call each: Xero has no bulk PDF), fetched ahead of need, have taken the spare of
 * bulk work's share of the day (what the other work leaves); then the clocks jump whenever everything left waits
 * for Xero.
 * Prints a {@code STARTER-RUN} line with the figures for docs/reliability.md.
 */
@ExtendWith(AwsEmulator.class)
class StarterTierIT {

    private static final int LEARNERS = 200;
    /**
     * Invoices finance raises a minute: as many PDFs as prefetch may fetch in one (its 40 of the minute), so the
     * PDFs keep up until prefetch has taken its share of the day, and the backlog then waits for the next.
     */
    private static final int INVOICES_A_MINUTE = 40;
    private static final int STARTER_DAY = 1_000;
    /** Sandbox minutes finance works before prefetch must have taken its share of the day (about 20 needed). */
    private static final int MAX_ROUNDS = 40;
    /** Xero's rolling day, plus the 15 minutes the budget counts in, a second of margin and a deferral's jitter. */
    private static final Duration DAY_WINDOW = Duration.ofDays(1).plusMinutes(15).plusSeconds(1).plusSeconds(61);

    private EndToEndFlow flow;

    @AfterEach
    void stop() {
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void aStarterOrganisationSyncsItsLearnersReceivesInvoicesAndPaymentsAndKeepsAFifthOfItsDayForPeople() throws Exception {
        long t0 = System.nanoTime();
        flow = EndToEndFlow.start().connect("STARTER", UnaryOperator.identity());
        Instant started = flow.rig.clock.instant();

        flow.bulkSync(0, LEARNERS);
        flow.settle();
        EndToEndFlow.Settled firstDay = untilPrefetchWaitsForTheDay();

        RateBudget.Snapshot parked = flow.budget().snapshot(flow.tenantId);
        assertThat(parked.dayLimit()).as("the day limit learned from Xero's answers").isEqualTo(STARTER_DAY);
        assertThat(parked.prefetchResumesAt()).as("PDF prefetch waits for the day's spare").isNotNull()
                .isBefore(flow.rig.clock.instant().plus(DAY_WINDOW));
        long callsWhenParked = flow.appCalls();
        // Prefetch took what other work leaves of bulk work's four fifths, and stopped there: the fifth for
        // people is untouched, and as much as other work used is still there for it.
        assertThat(parked.dayRemaining()).as("left of the day when prefetch stopped")
                .isGreaterThanOrEqualTo(STARTER_DAY / 5);
        // Ours counts every call made; the sandbox does not count a 401 (its clock runs in real time, ahead of the
        // test's, so a long run meets a few tokens expired by its clock and renewed once by the gateway).
        assertThat(callsWhenParked + flow.logged("xero.unauthorized")).as("Xero's count agrees with ours, 401s aside")
                .isEqualTo(STARTER_DAY - parked.dayRemaining());
        for (int i = 0; i < LEARNERS; i++) {
            assertThat(flow.learnerState("L-" + i).get("state").asText()).isEqualTo("SYNCED");
        }

        // While bulk work waits, a person's Manual Sync and a PDF not fetched yet still reach Xero.
        APIGatewayV2HTTPResponse manual = flow.learnerApi.handleRequest(ApiEvents.route("POST /v1/learners/{learnerId}/sync")
                .path("learnerId", "L-7").as(EndToEndFlow.ORG, "staff", "u-staff").build(), null);
        assertThat(manual.getStatusCode()).as(manual.getBody()).isEqualTo(202);
        String lastSynced = flow.learnerState("L-7").get("lastSyncedAt").asText();
        flow.learnerSyncPass();
        assertThat(flow.learnerState("L-7").get("lastSyncedAt").asText()).as("the Manual Sync went to Xero").isNotEqualTo(lastSynced);
        String[] unfetched = flow.invoiceWithoutPdf(LEARNERS)
                .orElseThrow(() -> new AssertionError("every PDF was stored within the first day's bulk share"));
        APIGatewayV2HTTPResponse pdf = flow.invoiceApi.handleRequest(ApiEvents.route(
                "GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf").path("learnerId", unfetched[0])
                .path("invoiceId", unfetched[1]).as(EndToEndFlow.ORG, "staff", "u-staff").build(), null);
        assertThat(pdf.getStatusCode()).as(pdf.getBody()).isEqualTo(302);
        assertThat(flow.appCalls()).isEqualTo(callsWhenParked + 2);

        EndToEndFlow.Settled rest = flow.settleAcrossDays(Duration.ofMinutes(6));
        EndToEndFlow.Outcome outcome = flow.check();

        Duration longestWait = flow.longestWait(Set.of("reserve", "day"));
        JsonNode stats = flow.rig.admin.stats().path("tenants").path(flow.tenantId);
        Duration sandboxTime = Duration.between(started, flow.rig.clock.instant());
        System.out.println("STARTER-RUN learners=" + outcome.learners() + " invoices=" + outcome.invoices()
                + " appCalls=" + stats.path("appCalls").asLong() + " byEndpoint=" + stats.path("appCallsByEndpoint")
                + " callsWhenBulkParked=" + callsWhenParked + " rateLimited=" + stats.path("rateLimited")
                + " longestWaitMinutes=" + longestWait.toMinutes() + " sandboxHours=" + sandboxTime.toMinutes() / 60.0
                + " jumps=" + (firstDay.jumps() + rest.jumps()) + " realSeconds=" + (System.nanoTime() - t0) / 1_000_000_000L
                + " deadLetters=" + outcome.deadLetters());
        assertThat(outcome.learners()).isEqualTo(LEARNERS);
        // Prefetch's share of the day is bulk work's four fifths less twice what other work used: about 700 PDFs.
        assertThat(outcome.invoices()).as("invoices raised").isGreaterThan(STARTER_DAY * 7 / 10);
        assertThat(outcome.deadLetters()).isZero();
        assertThat(stats.path("rateLimited").size()).as("429s: %s", stats.path("rateLimited")).isZero();
        assertThat(longestWait).as("the longest wait for Xero's day").isPositive().isLessThanOrEqualTo(DAY_WINDOW);
        assertThat(sandboxTime).as("everything done within two Starter days").isLessThan(Duration.ofDays(2));
    }

    /**
     * Finance raises invoices through the day (a minute's worth of the integration's calls at a time) while
     * everything runs, until the queues hold only bulk work waiting for Xero's day (the first jump would follow).
     */
    private EndToEndFlow.Settled untilPrefetchWaitsForTheDay() throws Exception {
        // About 20 rounds (sandbox minutes): prefetch takes 40 calls of a minute, so its share of the day takes that
        // many; bounded in rounds, with a real-time guard only against a hang (a busy machine takes ~40 s a round).
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        int rounds = 0;
        while (rounds < MAX_ROUNDS && Instant.now().isBefore(deadline)) {
            RateBudget.Snapshot now = flow.budget().snapshot(flow.tenantId);
            if (now.prefetchResumesAt() != null && flow.pdfsWaiting() > 0
                    && now.prefetchResumesAt().isAfter(flow.rig.clock.instant().plus(Duration.ofMinutes(10)))) {
                return new EndToEndFlow.Settled(Duration.ZERO, 0, rounds);
            }
            rounds++;
            flow.financeRaisesInvoices(INVOICES_A_MINUTE);
            flow.roundOfWork();
            flow.advance(EndToEndFlow.MINUTE_WINDOW);
        }
        throw new AssertionError("PDF prefetch never reached its share of the day in " + rounds + " rounds");
    }

}
