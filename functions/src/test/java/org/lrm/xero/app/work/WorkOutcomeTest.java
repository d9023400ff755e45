package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.support.Json;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.domain.connection.XeroScopes;

/** What a use case's exception does to its message: waits never spend a receive, only a permanent refusal dead-letters at once. */
class WorkOutcomeTest {

    @Test
    void waitingForBudgetOrAReconnectDefers() {
        assertThat(WorkOutcome.of(new WaitForBudget(Duration.ofSeconds(42), WaitReason.DAY)))
                .isEqualTo(new WorkOutcome.Defer(Duration.ofSeconds(42), "day"));
        assertThat(WorkOutcome.of(new ConnectionUnavailable("org-1", "NEEDS_RECONNECT", "refused")))
                .isEqualTo(new WorkOutcome.Defer(WorkOutcome.RECONNECT_WAIT, "connection"));
        assertThat(WorkOutcome.of(new ScopeMissing("org-1", XeroScopes.Need.PAYMENTS, "403")))
                .isEqualTo(new WorkOutcome.Defer(WorkOutcome.RECONNECT_WAIT, "scope"));
    }

    @Test
    void aPermanentRefusalFailsXeroFailingBacksOffAndAnythingElseIsRetried() {
        assertThat(WorkOutcome.of(new XeroCallFailed("GET Invoices", true, "validation"))).isInstanceOf(WorkOutcome.Fail.class);
        assertThat(WorkOutcome.of(new XeroCallFailed("GET Invoices", false, "503")))
                .isEqualTo(new WorkOutcome.XeroFailing("GET Invoices: 503"));
        assertThat(WorkOutcome.of(new org.lrm.xero.app.connection.TokenRefreshFailed("org-1", "Unanswered[detail=503]")))
                .as("the token endpoint down").isInstanceOf(WorkOutcome.XeroFailing.class);
        assertThat(WorkOutcome.of(new NotFound("Xero has no invoice inv-1."))).isEqualTo(
                new WorkOutcome.Retry("NotFound: Xero has no invoice inv-1."));
    }

    @Test
    void aPerMessageProcessorAnswersEachMessageWithItsOwnOutcome() {
        WorkMessage ok = WorkMessage.of("k", "org-1", null, Priority.BULK, Json.MAPPER.createObjectNode().put("ok", true));
        WorkMessage bad = WorkMessage.of("k", "org-1", null, Priority.BULK, Json.MAPPER.createObjectNode().put("ok", false));
        WorkProcessor processor = WorkProcessor.perMessage(w -> {
            if (!w.message().payload().path("ok").asBoolean()) {
                throw new WaitForBudget(Duration.ofSeconds(5), WaitReason.MINUTE);
            }
            return WorkOutcome.DONE;
        });

        Map<String, WorkOutcome> outcomes = processor.process("org-1", List.of(new Work("a", ok, 1), new Work("b", bad, 1)));

        assertThat(outcomes).containsEntry("a", WorkOutcome.DONE)
                .containsEntry("b", new WorkOutcome.Defer(Duration.ofSeconds(5), "minute"));
    }
}
