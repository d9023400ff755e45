package org.lrm.xero.app.resync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a re-sync checked, step by step, apart from what it changed. */
class ResyncCheckedTest {

    @Test
    void eachCollectionsElementsAreCountedUnderTheirOwnNameAndStepsAddUp() {
        ResyncJob.Checked checked = ResyncJob.Checked.invoices(1000, 640)
                .plus(ResyncJob.Checked.transactions("Payments", 300).plus(ResyncJob.Checked.invoices(12, 12)))
                .plus(ResyncJob.Checked.transactions("CreditNotes", 20))
                .plus(ResyncJob.Checked.transactions("Prepayments", 1))
                .plus(ResyncJob.Checked.transactions("Overpayments", 2))
                .plus(ResyncJob.Checked.learners(3000));
        assertThat(checked).isEqualTo(new ResyncJob.Checked(1012, 300, 20, 1, 2, 3000, 652));
        assertThat(checked.asMap()).containsExactly(java.util.Map.entry("invoices", 1012L), java.util.Map.entry("payments", 300L),
                java.util.Map.entry("creditNotes", 20L), java.util.Map.entry("prepayments", 1L),
                java.util.Map.entry("overpayments", 2L), java.util.Map.entry("learners", 3000L), java.util.Map.entry("pdfs", 652L));
        assertThatThrownBy(() -> ResyncJob.Checked.transactions("BankTransactions", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ResyncSteps.COLLECTIONS).allSatisfy(c -> assertThat(ResyncJob.Checked.transactions(c.collection(), 1))
                .isNotEqualTo(ResyncJob.Checked.NONE));
    }

    @Test
    void aJobReadBeforeItsCheckedCountsExistedHasNoneAndAStepWithoutThemChecksNothing() {
        ResyncJob queued = ResyncJob.queued("org", "resync-1", ResyncJob.Kind.RANGE, "tenant", LocalDate.of(2027, 1, 1),
                LocalDate.of(2027, 1, 31), null, null, Set.of(ResyncJob.Phase.INVOICES), Instant.EPOCH);
        assertThat(queued.checked()).isEqualTo(ResyncJob.Checked.NONE);
        assertThat(new ResyncJobs.StepDone("INVOICES#1", 0, 0, 0, 0, true, 1, null).checked()).isEqualTo(ResyncJob.Checked.NONE);
    }
}
