package org.lrm.xero.domain.resync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.lrm.xero.domain.learner.FieldError;

class ResyncRangeTest {

    private static final LocalDate TODAY = LocalDate.of(2027, 3, 15);

    @Test
    void aRangeUpToTodayOfAtMostFiveYearsIsValid() {
        assertThat(ResyncRange.parse("2022-03-15", "2027-03-15", TODAY))
                .isEqualTo(new ResyncRange.Valid(new ResyncRange(LocalDate.of(2022, 3, 15), TODAY)));
        assertThat(ResyncRange.parse("2027-03-15", "2027-03-15", TODAY)).isInstanceOf(ResyncRange.Valid.class);
    }

    @Test
    void eachBadBoundIsNamed() {
        assertThat(fields("2027-02-30", "2027-03-01")).containsExactly("from: is not a calendar date");
        assertThat(fields("15/03/2027", "2027-03-01")).containsExactly("from: must be a date as YYYY-MM-DD");
        assertThat(fields(null, "")).containsExactly("from: is required, as YYYY-MM-DD", "to: is required, as YYYY-MM-DD");
        assertThat(fields("2027-03-02", "2027-03-01")).containsExactly("from: must not be after to (2027-03-01)");
        assertThat(fields("2027-03-01", "2027-03-16")).containsExactly("to: is in the future (today is 2027-03-15)");
        assertThat(fields("2022-03-14", "2027-03-15")).singleElement().asString().startsWith("from: is more than 5 years");
    }

    private static java.util.List<String> fields(String from, String to) {
        ResyncRange.Parsed parsed = ResyncRange.parse(from, to, TODAY);
        assertThat(parsed).isInstanceOf(ResyncRange.Invalid.class);
        return ((ResyncRange.Invalid) parsed).errors().stream().map(e -> e.field() + ": " + e.message()).toList();
    }

    @Test
    void fieldErrorsKeepTheRequestsNames() {
        FieldError e = ((ResyncRange.Invalid) ResyncRange.parse("x", "2027-01-01", TODAY)).errors().get(0);
        assertThat(e.field()).isEqualTo("from");
    }
}
