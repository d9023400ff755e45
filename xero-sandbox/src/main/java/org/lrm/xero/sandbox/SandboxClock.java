package org.lrm.xero.sandbox;

import java.time.Duration;
import java.time.Instant;

/** The sandbox's clock: real time plus an offset that the admin surface moves (POST /sandbox/clock). */
final class SandboxClock {
    private Duration offset = Duration.ZERO;
    synchronized Instant now() { return Instant.now().plus(offset); }
    synchronized void advance(long seconds) { offset = offset.plusSeconds(seconds); }
    synchronized void set(Instant at) { offset = Duration.between(Instant.now(), at); }
}
