package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.learner.LearnerQueries;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.Enrolment;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.LearnerValidation;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.report.FinanceReport;
import org.lrm.xero.support.Json;

/**
 * The finance report of a large organisation stays an answer Lambda can give: each page, as the
 * handler renders it (JSON, or CSV), under 6 MB, for 50,000 learners with two or three enrolments
 * each and for learners at the largest a learner may be; every learner on exactly one page; and the
 * store read a bounded number of times per page (each read one DynamoDB Query of at most
 * {@code READ_CHUNK} learners, under Query's 1 MB for learners of this size), which is what keeps a
 * page far inside API Gateway's 29 s (the in-memory time printed here says nothing of DynamoDB's).
 */
class FinanceReportPagesTest {

    private static final String ORG = "org-large";
    /** Lambda's limit for a synchronous answer: the page, with its headers, must stay under it. */
    private static final int LAMBDA_ANSWER_BYTES = 6 * 1024 * 1024;

    private final FakeClock clock = new FakeClock(Instant.parse("2027-01-05T00:00:00Z"));
    private final InMemoryLearnerStore store = new InMemoryLearnerStore();
    private final LearnerQueries queries = new LearnerQueries(store, new InMemoryLogbook(), new InMemoryConnectionStore(), clock);

    @Test
    void fiftyThousandLearnersComeInFiftyPagesEachUnderSixMegabytes() throws Exception {
        Instant since = clock.instant();
        save(50_000, i -> realistic(i));

        Walk walk = walk(since, FinanceReport.MAX_LIMIT);

        System.out.printf("FINANCE-REPORT 50,000 learners: %d pages, largest JSON %,d bytes, largest CSV %,d bytes,"
                + " store reads %d (%.1f a page), slowest page %d ms%n", walk.pages, walk.largestJson, walk.largestCsv,
                store.changedSincePages, (double) store.changedSincePages / walk.pages, walk.slowestMillis);
        assertThat(walk.learners).hasSize(50_000);
        assertThat(walk.pages).isEqualTo(50);
        assertThat(walk.largestJson).isLessThan(FinanceReport.MAX_PAGE_BYTES).isLessThan(LAMBDA_ANSWER_BYTES);
        assertThat(walk.largestCsv).isLessThan(FinanceReport.MAX_PAGE_BYTES);
        assertThat(store.changedSincePages).as("store reads: a page of 1,000 is four reads of 250")
                .isEqualTo(50 * (FinanceReport.MAX_LIMIT / LearnerQueries.READ_CHUNK));
    }

    @Test
    void learnersAtTheirLargestMakeShorterPagesThatStillFit() throws Exception {
        Instant since = clock.instant();
        save(600, i -> largest(i));
        assertThat(LearnerValidation.textBytes(largest(0))).isBetween(LearnerValidation.MAX_LEARNER_BYTES - 1_000, LearnerValidation.MAX_LEARNER_BYTES);

        Walk walk = walk(since, FinanceReport.MAX_LIMIT);

        System.out.printf("FINANCE-REPORT 600 learners of %,d bytes: %d pages, largest JSON %,d, largest CSV %,d%n",
                LearnerValidation.textBytes(largest(0)), walk.pages, walk.largestJson, walk.largestCsv);
        assertThat(walk.learners).hasSize(600);
        assertThat(walk.pages).as("cut by bytes, not by the limit").isGreaterThan(1);
        assertThat(walk.largestJson).isLessThan(LAMBDA_ANSWER_BYTES);
        assertThat(walk.largestCsv).isLessThan(LAMBDA_ANSWER_BYTES);
    }

    private record Walk(Set<String> learners, int pages, int largestJson, int largestCsv, long slowestMillis) {
    }

    private Walk walk(Instant since, int limit) throws Exception {
        Set<String> seen = new HashSet<>();
        int pages = 0;
        int largestJson = 0;
        int largestCsv = 0;
        long slowest = 0;
        String next = null;
        do {
            long started = System.nanoTime();
            LearnerQueries.FinanceReportPage page = queries.financeReport(ORG, since, next, limit);
            byte[] json = Json.MAPPER.writeValueAsBytes(new LearnerApiHandler.FinanceReportAnswer(page.report(), "cursor"));
            byte[] csv = page.report().toCsv().getBytes(StandardCharsets.UTF_8);
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
            largestJson = Math.max(largestJson, json.length);
            largestCsv = Math.max(largestCsv, csv.length);
            page.report().learners().forEach(l -> assertThat(seen.add(l.learnerId())).as("%s on one page", l.learnerId()).isTrue());
            pages++;
            next = page.next();
        } while (next != null);
        return new Walk(seen, pages, largestJson, largestCsv, slowest);
    }

    private void save(int count, java.util.function.IntFunction<Learner> learner) {
        for (int from = 0; from < count; from += 1_000) {
            List<Learner> batch = new ArrayList<>();
            Map<String, SyncState> states = new HashMap<>();
            for (int i = from; i < Math.min(count, from + 1_000); i++) {
                Learner l = learner.apply(i);
                batch.add(l);
                states.put(l.learnerId(), SyncState.PENDING);
            }
            store.save(ORG, batch, states, clock.instant());
            clock.advance(Duration.ofSeconds(1));
        }
    }

    /** A learner as an LRM holds one: names, an email, a phone, an address, two or three enrolments. */
    private static Learner realistic(int i) {
        List<Enrolment> enrolments = new ArrayList<>();
        for (int e = 0; e < 2 + i % 2; e++) {
            enrolments.add(new Enrolment("E-" + i + "-" + e, "BSB50120 Diploma of Business (Leadership)", LocalDate.of(2027, 2, 1),
                    "CONFIRMED"));
        }
        return new Learner("L-" + i, "W" + (100000 + i), "Alexandra", "Lopez-Garcia" + i, "alexandra.lopez" + i + "@example.org",
                "+61 400 000 000", new Address("12 Long Street Name", "Perth", "WA", "6000", "AU"), true, enrolments);
    }

    /** A learner near the largest the API takes: the cap's enrolments, each course of two-byte letters. */
    private static Learner largest(int i) {
        List<Enrolment> enrolments = new ArrayList<>();
        for (int e = 0; e < LearnerValidation.MAX_ENROLMENTS; e++) {
            enrolments.add(new Enrolment("E-" + e, "é".repeat(148), LocalDate.of(2027, 2, 1), "CONFIRMED"));
        }
        return new Learner("L-" + i, "W" + (100000 + i), "A".repeat(200), "B".repeat(200), "a" + i + "@example.org",
                "+61 400 000 000", new Address("1 Main St", "Perth", "WA", "6000", "AU"), true, enrolments);
    }
}
