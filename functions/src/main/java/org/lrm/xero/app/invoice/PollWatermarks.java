package org.lrm.xero.app.invoice;

import java.time.Instant;
import java.util.Optional;

/** Per organisation and polled Xero collection: the newest UpdatedDateUTC already handed on. */
public interface PollWatermarks {

    Optional<Instant> watermark(String orgId, String kind);

    void advance(String orgId, String kind, Instant to);
}
