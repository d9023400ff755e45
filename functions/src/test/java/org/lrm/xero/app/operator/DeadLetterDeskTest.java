package org.lrm.xero.app.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.lrm.xero.app.fakes.CapturedLogs;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.InMemoryDeadLetters;
import org.lrm.xero.app.fakes.RecordingOperatorAudit;
import org.lrm.xero.app.fakes.TestData;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeadLetterFilter;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

/** Operators' dead letters: a look grouped by queue, organisation and reason; a dry run, then a replay that is kept. */
@ResourceLock(CapturedLogs.LOCK)
class DeadLetterDeskTest {

    private static final String CONTACT_REFUSED = "Xero refused the contact: The contact name Ana Lopez W1 is already assigned";
    private static final String RETRIES = "retries exhausted: XeroCallFailed 503";

    private final FakeClock clock = FakeClock.at("2027-03-01T02:00:00Z");
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final RecordingOperatorAudit audit = new RecordingOperatorAudit();
    private final DeadLetterDesk desk = new DeadLetterDesk(deadLetters, audit, clock);
    private Instant at = Instant.parse("2027-02-27T00:00:00Z");
    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.start();
    }

    @AfterEach
    void restoreLogs() {
        logs.stop();
    }

    @Test
    void aLookGroupsTheDeadLettersByQueueOrganisationAndReasonWithTheOldestAsSamples() {
        DeadLetter first = learnerSync("org-a", List.of("L-1"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-2", "L-3"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-4"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-5"), CONTACT_REFUSED);
        learnerSync("org-b", List.of("L-1"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-6"), null);
        DeadLetter pdf = dead("pdf-fetch", WorkMessage.of("invoice-pdf", "org-b", "tenant-b", Priority.BULK,
                Json.MAPPER.createObjectNode().put("invoiceId", "inv-1")), RETRIES);

        DeadLetterDesk.Review review = desk.review("support-1", null, DeadLetterFilter.ALL);

        assertThat(review.total()).isEqualTo(7);
        assertThat(review.complete()).isTrue();
        assertThat(review.groups()).extracting(DeadLetterDesk.Group::queue, DeadLetterDesk.Group::orgId, DeadLetterDesk.Group::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("learner-sync", "org-a", 4),
                        org.assertj.core.groups.Tuple.tuple("learner-sync", "org-b", 1),
                        org.assertj.core.groups.Tuple.tuple("learner-sync", "org-a", 1),
                        org.assertj.core.groups.Tuple.tuple("pdf-fetch", "org-b", 1));
        DeadLetterDesk.Group largest = review.groups().get(0);
        assertThat(largest.reason()).isEqualTo(CONTACT_REFUSED);
        assertThat(largest.oldestAt()).isEqualTo(first.sentAt());
        assertThat(largest.samples()).hasSize(DeadLetterDesk.SAMPLES);
        assertThat(largest.samples()).extracting(DeadLetterDesk.Sample::learnerIds)
                .containsExactly(List.of("L-1"), List.of("L-2", "L-3"), List.of("L-4"));
        assertThat(review.groups().get(2).reason()).isEqualTo(DeadLetter.NO_REASON);
        assertThat(review.groups().get(3).samples()).singleElement().satisfies(s -> {
            assertThat(s.letter().messageId()).isEqualTo(pdf.messageId());
            assertThat(s.learnerIds()).isEmpty();
        });
        assertThat(deadLetters.in("learner-sync")).hasSize(6);
        assertThat(logs.of("operator.deadLettersRead")).singleElement().asString()
                .contains("\"operator\":\"support-1\"", "\"total\":7");
    }

    @Test
    void aLookNarrowsToAQueueAnOrganisationAndWordsOfTheReasonInAnyCase() {
        learnerSync("org-a", List.of("L-1"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-2"), RETRIES);
        learnerSync("org-b", List.of("L-3"), CONTACT_REFUSED);
        dead("pdf-fetch", WorkMessage.of("invoice-pdf", "org-a", "tenant-a", Priority.BULK, Json.MAPPER.createObjectNode()),
                CONTACT_REFUSED);

        DeadLetterDesk.Review review = desk.review("support-1", "learner-sync", new DeadLetterFilter("org-a", null, "ALREADY assigned"));

        assertThat(review.total()).isEqualTo(1);
        assertThat(review.groups()).singleElement().satisfies(g -> {
            assertThat(g.queue()).isEqualTo("learner-sync");
            assertThat(g.orgId()).isEqualTo("org-a");
            assertThat(g.samples()).extracting(DeadLetterDesk.Sample::learnerIds).containsExactly(List.of("L-1"));
        });
        assertThatThrownBy(() -> desk.review("support-1", "invoices", DeadLetterFilter.ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learner-sync");
    }

    @Test
    void aDryRunCountsWhatAReplayWouldMoveAndMovesNothingAndKeepsNoRecord() {
        learnerSync("org-a", List.of("L-1"), CONTACT_REFUSED);
        learnerSync("org-b", List.of("L-2"), CONTACT_REFUSED);

        DeadLetterDesk.Replay dryRun = desk.replay("support-1", new ReplayRequest("learner-sync", "org-a", null, null, true, null));

        assertThat(dryRun.matched()).isEqualTo(1);
        assertThat(dryRun.replayed()).isZero();
        assertThat(deadLetters.in("learner-sync")).hasSize(2);
        assertThat(deadLetters.replayedTo("learner-sync")).isEmpty();
        assertThat(audit.replays()).isEmpty();
        assertThat(logs.of("operator.deadLettersReplayed")).singleElement().asString()
                .contains("\"operator\":\"support-1\"", "\"orgId\":\"org-a\"", "\"dryRun\":true", "\"matched\":1", "\"replayed\":0");
    }

    @Test
    void aReplayMovesWhatTheLookShowedAndKeepsWhoDidItForEachOrganisation() {
        learnerSync("org-a", List.of("L-1"), CONTACT_REFUSED);
        learnerSync("org-a", List.of("L-2", "L-3"), CONTACT_REFUSED);
        learnerSync("org-b", List.of("L-4"), CONTACT_REFUSED);
        learnerSync("org-b", List.of("L-5"), RETRIES);
        DeadLetterFilter refused = new DeadLetterFilter(null, null, "already assigned");
        int shown = desk.review("support-1", "learner-sync", refused).total();
        clock.advance(Duration.ofMinutes(2));

        DeadLetterDesk.Replay replay = desk.replay("support-1",
                new ReplayRequest("learner-sync", null, null, "already assigned", false, null));

        assertThat(replay.matched()).isEqualTo(shown).isEqualTo(3);
        assertThat(replay.replayed()).isEqualTo(3);
        assertThat(deadLetters.in("learner-sync")).singleElement().satisfies(l -> assertThat(l.reason()).isEqualTo(RETRIES));
        assertThat(deadLetters.replayedTo("learner-sync")).extracting(WorkMessage::orgId).containsExactly("org-a", "org-a", "org-b");
        assertThat(audit.replays()).singleElement().satisfies(r -> {
            assertThat(r.operator()).isEqualTo("support-1");
            assertThat(r.at()).isEqualTo(clock.instant());
            assertThat(r.queue()).isEqualTo("learner-sync");
            assertThat(r.orgId()).isNull();
            assertThat(r.reason()).isEqualTo("already assigned");
            assertThat(r.matched()).isEqualTo(3);
            assertThat(r.replayed()).isEqualTo(3);
            assertThat(r.replayedByOrganisation()).isEqualTo(Map.of("org-a", 2, "org-b", 1));
        });
        assertThat(logs.of("operator.deadLettersReplayed")).singleElement().asString()
                .contains("\"dryRun\":false", "\"replayed\":3", "\"learnerIds\":[\"L-1\",\"L-2\",\"L-3\",\"L-4\"]");
    }

    @Test
    void aReplayThatFindsNothingKeepsNoRecord() {
        learnerSync("org-a", List.of("L-1"), CONTACT_REFUSED);

        DeadLetterDesk.Replay replay = desk.replay("support-1", new ReplayRequest("learner-sync", "org-z", null, null, false, null));

        assertThat(replay.matched()).isZero();
        assertThat(audit.replays()).isEmpty();
        assertThat(deadLetters.in("learner-sync")).hasSize(1);
    }

    private DeadLetter learnerSync(String orgId, List<String> learnerIds, String reason) {
        return dead("learner-sync", TestData.learnerSync(orgId, Priority.INTERACTIVE, false, learnerIds).message(), reason);
    }

    private DeadLetter dead(String queue, WorkMessage message, String reason) {
        at = at.plusSeconds(60);
        return deadLetters.deadLetter(queue, message, reason, at);
    }
}
