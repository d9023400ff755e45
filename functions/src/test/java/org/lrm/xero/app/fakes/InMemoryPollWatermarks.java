package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.invoice.PollWatermarks;

/** {@link PollWatermarks} in memory; a watermark only moves forward, as DynamoPollWatermarks keeps it. */
public final class InMemoryPollWatermarks implements PollWatermarks {

    private final Map<String, Instant> marks = new HashMap<>();

    @Override
    public Optional<Instant> watermark(String orgId, String kind) {
        return Optional.ofNullable(marks.get(orgId + "/" + kind));
    }

    @Override
    public void advance(String orgId, String kind, Instant to) {
        marks.merge(orgId + "/" + kind, to, (held, next) -> next.isAfter(held) ? next : held);
    }
}
