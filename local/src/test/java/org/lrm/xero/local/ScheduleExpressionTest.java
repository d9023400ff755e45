package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {

    @Test
    void rates() {
        Instant t = Instant.parse("2027-02-01T10:07:30Z");
        assertThat(ScheduleExpression.parse("rate(5 minutes)").nextAfter(t)).isEqualTo(Instant.parse("2027-02-01T10:12:30Z"));
        assertThat(ScheduleExpression.parse("rate(1 hour)").nextAfter(t)).isEqualTo(Instant.parse("2027-02-01T11:07:30Z"));
        assertThat(ScheduleExpression.parse("rate(2 days)").nextAfter(t)).isEqualTo(Instant.parse("2027-02-03T10:07:30Z"));
    }

    @Test
    void theNightlyCronFiresAt1500UtcEveryDay() {
        ScheduleExpression nightly = ScheduleExpression.parse("cron(0 15 * * ? *)");
        assertThat(nightly.nextAfter(Instant.parse("2027-02-01T10:07:30Z"))).isEqualTo(Instant.parse("2027-02-01T15:00:00Z"));
        assertThat(nightly.nextAfter(Instant.parse("2027-02-01T15:00:00Z"))).isEqualTo(Instant.parse("2027-02-02T15:00:00Z"));
        assertThat(nightly.nextAfter(Instant.parse("2027-12-31T16:00:00Z"))).isEqualTo(Instant.parse("2028-01-01T15:00:00Z"));
    }

    @Test
    void cronListsRangesStepsAndDayNames() {
        // Weekdays at 09:30 and 17:30; 2027-02-05 is a Friday.
        ScheduleExpression weekdays = ScheduleExpression.parse("cron(30 9,17 ? * MON-FRI *)");
        assertThat(weekdays.nextAfter(Instant.parse("2027-02-05T18:00:00Z"))).isEqualTo(Instant.parse("2027-02-08T09:30:00Z"));
        assertThat(ScheduleExpression.parse("cron(*/15 * * * ? *)").nextAfter(Instant.parse("2027-02-01T10:07:30Z")))
                .isEqualTo(Instant.parse("2027-02-01T10:15:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 0 1 JAN ? *)").nextAfter(Instant.parse("2027-02-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> ScheduleExpression.parse("every 5 minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 15 * *)")).isInstanceOf(IllegalArgumentException.class);
    }
}
