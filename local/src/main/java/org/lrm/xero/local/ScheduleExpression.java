package org.lrm.xero.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression, {@code rate(N minutes|hours|days)} or
 * {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, as far as the local run
 * needs it: when it fires next. Cron fields take {@code *}, {@code ?}, numbers, lists, ranges and
 * {@code /} steps; days of the week 1-7 (SUN-SAT) or their names.
 */
final class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    private final String text;
    private final Duration rate;
    private final IntPredicate[] cron;

    private ScheduleExpression(String text, Duration rate, IntPredicate[] cron) {
        this.text = text;
        this.rate = rate;
        this.cron = cron;
    }

    static ScheduleExpression parse(String expression) {
        String e = expression.trim();
        Matcher rate = RATE.matcher(e);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            ChronoUnit unit = rate.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : rate.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new ScheduleExpression(e, Duration.of(n, unit), null);
        }
        Matcher cron = CRON.matcher(e);
        String[] fields = cron.matches() ? cron.group(1).trim().split("\\s+") : new String[0];
        if (fields.length != 6) {
            throw new IllegalArgumentException("unsupported schedule expression: " + expression);
        }
        return new ScheduleExpression(e, null, new IntPredicate[] {
            field(fields[0], List.of(), 0), field(fields[1], List.of(), 0), field(fields[2], List.of(), 1),
            field(fields[3], MONTHS, 1), field(fields[4], DAYS, 1), field(fields[5], List.of(), 0)});
    }

    /** The first time after {@code after} the schedule fires. */
    Instant nextAfter(Instant after) {
        if (rate != null) {
            return after.plus(rate);
        }
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            int dayOfWeek = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
            if (cron[5].test(t.getYear()) && cron[3].test(t.getMonthValue()) && cron[2].test(t.getDayOfMonth())
                    && cron[4].test(dayOfWeek) && cron[1].test(t.getHour())) {
                if (cron[0].test(t.getMinute())) {
                    return t.toInstant();
                }
                t = t.plusMinutes(1);
            } else {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            }
        }
        throw new IllegalArgumentException(text + " never fires");
    }

    @Override
    public String toString() {
        return text;
    }

    private static IntPredicate field(String spec, List<String> names, int firstNamed) {
        if (spec.equals("*") || spec.equals("?")) {
            return v -> true;
        }
        IntPredicate any = v -> false;
        for (String part : spec.split(",")) {
            String[] stepped = part.split("/", 2);
            int step = stepped.length == 2 ? Integer.parseInt(stepped[1]) : 1;
            String[] range = stepped[0].split("-", 2);
            int from = stepped[0].equals("*") ? 0 : value(range[0], names, firstNamed);
            int to = stepped[0].equals("*") ? Integer.MAX_VALUE : range.length == 2 ? value(range[1], names, firstNamed)
                    : stepped.length == 2 ? Integer.MAX_VALUE : from;
            IntPredicate previous = any;
            any = v -> previous.test(v) || (v >= from && v <= to && (v - from) % step == 0);
        }
        return any;
    }

    private static int value(String token, List<String> names, int firstNamed) {
        int named = names.indexOf(token.toUpperCase(Locale.ROOT));
        return named >= 0 ? named + firstNamed : Integer.parseInt(token);
    }
}
