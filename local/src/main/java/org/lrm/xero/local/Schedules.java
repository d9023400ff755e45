package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.joda.time.DateTime;

/**
 * EventBridge's scheduled rules for the local run: each schedule's function gets a
 * {@link ScheduledEvent} when its expression fires, or at once when someone asks
 * ({@code POST /local/schedules/{EventName}} on the gateway).
 */
final class Schedules implements AutoCloseable {

    private record Entry(TemplateFunctions.Schedule schedule, ScheduleExpression expression, RequestHandler<ScheduledEvent, ?> function) {
    }

    private final Map<String, Entry> byEventName = new LinkedHashMap<>();
    private final String region;
    private final Clock clock;
    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedules");
        t.setDaemon(true);
        return t;
    });

    Schedules(String region, Clock clock, PrintStream out) {
        this.region = region;
        this.clock = clock;
        this.out = out;
    }

    void add(TemplateFunctions.Schedule schedule, RequestHandler<ScheduledEvent, ?> function) {
        Entry entry = new Entry(schedule, ScheduleExpression.parse(schedule.expression()), function);
        byEventName.put(schedule.eventName(), entry);
        plan(entry, clock.instant());
    }

    List<String> eventNames() {
        return List.copyOf(byEventName.keySet());
    }

    Optional<Instant> next(String eventName) {
        return Optional.ofNullable(byEventName.get(eventName)).map(e -> e.expression().nextAfter(clock.instant()));
    }

    /** Runs the schedule's function now, in the caller's thread. @return false when there is no such schedule */
    boolean fireNow(String eventName) {
        Entry entry = byEventName.get(eventName);
        if (entry == null) {
            return false;
        }
        fire(entry);
        return true;
    }

    private void plan(Entry entry, Instant after) {
        Instant at = entry.expression().nextAfter(after);
        timer.schedule(() -> {
            try {
                fire(entry);
            } catch (RuntimeException e) {
                out.println("[" + entry.schedule().eventName() + "] " + entry.schedule().functionId() + " failed: " + e);
            }
            plan(entry, at);
        }, Math.max(0, Duration.between(clock.instant(), at).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void fire(Entry entry) {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(UUID.randomUUID().toString());
        event.setSource("aws.events");
        event.setDetailType("Scheduled Event");
        event.setAccount(org.lrm.xero.testing.TemplateResources.ACCOUNT_ID);
        event.setRegion(region);
        event.setTime(new DateTime(clock.millis()));
        event.setResources(List.of("arn:aws:events:" + region + ":" + org.lrm.xero.testing.TemplateResources.ACCOUNT_ID
                + ":rule/" + entry.schedule().eventName()));
        event.setDetail(Map.of());
        entry.function().handleRequest(event, null);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
