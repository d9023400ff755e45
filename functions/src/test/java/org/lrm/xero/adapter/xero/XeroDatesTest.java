package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.cases.GeneratedCases.edgesThenGenerated;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Property;

class XeroDatesTest {

    private static final long SEED = 20_250_305L;
    private static final int CASES = 1_000;
    /** 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z: every year written with four digits. */
    private static final long FIRST_MILLI = -62_135_596_800_000L;
    private static final long LAST_MILLI = 253_402_300_799_999L;
    private static final long FIRST_DAY = -719_162;
    private static final long LAST_DAY = 2_932_896;

    @Test
    void msDateIsUtcMillisWhateverTheOffset() {
        assertThat(XeroDates.parseInstant("/Date(1700000000000+0000)/")).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(XeroDates.parseInstant("/Date(1700000000000+1300)/")).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(XeroDates.parseInstant("/Date(1573755038314)/")).isEqualTo(Instant.ofEpochMilli(1573755038314L));
        assertThat(XeroDates.parseInstant("/Date(-1000-0500)/")).isEqualTo(Instant.ofEpochMilli(-1000));
    }

    @Test
    void isoTimestampsWithoutOffsetAreUtc() {
        assertThat(XeroDates.parseInstant("2019-03-01T09:00:31.597")).isEqualTo(Instant.parse("2019-03-01T09:00:31.597Z"));
        assertThat(XeroDates.parseInstant("2019-12-07T18:46:19.5165400")).isEqualTo(Instant.parse("2019-12-07T18:46:19.51654Z"));
        assertThat(XeroDates.parseInstant("2020-02-06T12:17:43.202-08:00")).isEqualTo(Instant.parse("2020-02-06T20:17:43.202Z"));
    }

    @Test
    void dateOnlyFields() {
        assertThat(XeroDates.parseDate("2027-02-01T00:00:00")).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(XeroDates.parseDate("2027-02-01")).isEqualTo(LocalDate.of(2027, 2, 1));
        // 2027-02-01T00:00Z
        assertThat(XeroDates.parseDate("/Date(1801440000000+0000)/")).isEqualTo(LocalDate.of(2027, 2, 1));
        // 2027-01-31T11:00Z is 2027-02-01 00:00 in +1300
        assertThat(XeroDates.parseDate("/Date(1801393200000+1300)/")).isEqualTo(LocalDate.of(2027, 2, 1));
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> XeroDates.parseInstant("yesterday")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XeroDates.parseDate("/Date(abc)/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ifModifiedSinceIsWholeSecondsUtcRoundedDown() {
        assertThat(XeroDates.formatIfModifiedSince(Instant.parse("2027-02-01T10:11:12.999Z"))).isEqualTo("2027-02-01T10:11:12Z");
    }

    @Test
    void whereDateTimeLiteral() {
        assertThat(XeroDates.whereDateTime(LocalDate.of(2027, 2, 1))).isEqualTo("DateTime(2027,02,01)");
    }

    @Test
    void modelsReadXeroDates() throws Exception {
        Invoice inv = new ObjectMapper().readValue("""
                {"InvoiceID":"a","Date":"/Date(1801440000000+0000)/","DueDate":"2027-03-01T00:00:00",
                 "UpdatedDateUTC":"/Date(1700000000000+0000)/","Total":115.00,"Unknown":1}""", Invoice.class);
        assertThat(inv.date()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(inv.dueDate()).isEqualTo(LocalDate.of(2027, 3, 1));
        assertThat(inv.updatedDateUtc()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(inv.total()).isEqualByComparingTo("115.00");
        assertThat(inv.payments()).isEmpty();
    }

    @Property
    @MethodSource("epochMillis")
    void instantRoundTrip(long millis) {
        Instant i = Instant.ofEpochMilli(millis);
        assertThat(XeroDates.parseInstant(XeroDates.formatInstant(i))).isEqualTo(i);
    }

    /** Any instant of years 1 to 9999, the first and last, and those either side of the epoch. */
    static Stream<Arguments> epochMillis() {
        return edgesThenGenerated(LongStream.of(FIRST_MILLI, FIRST_MILLI + 1, -1_000, -1, 0, 1, 999, 1_000,
                        LAST_MILLI - 1, LAST_MILLI).<List<?>>mapToObj(List::of).toList(),
                SEED, CASES, draw -> List.of(draw.between(FIRST_MILLI, LAST_MILLI)));
    }

    @Property
    @MethodSource("epochDays")
    void dateRoundTrip(long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        assertThat(XeroDates.parseDate(XeroDates.formatDate(d))).isEqualTo(d);
        assertThat(XeroDates.parseDate(XeroDates.formatInstant(d.atStartOfDay(ZoneOffset.UTC).toInstant())))
                .isEqualTo(d);
    }

    /** Any day of years 1 to 9999, the first and last, either side of the epoch, and leap days. */
    static Stream<Arguments> epochDays() {
        return edgesThenGenerated(LongStream.of(FIRST_DAY, FIRST_DAY + 1, -1, 0, 1, LAST_DAY - 1, LAST_DAY,
                        LocalDate.of(2000, 2, 29).toEpochDay(), LocalDate.of(1900, 2, 28).toEpochDay(),
                        LocalDate.of(1900, 3, 1).toEpochDay(), LocalDate.of(2028, 2, 29).toEpochDay())
                        .<List<?>>mapToObj(List::of).toList(),
                SEED, CASES, draw -> List.of(draw.between(FIRST_DAY, LAST_DAY)));
    }
}
