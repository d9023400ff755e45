package org.lrm.xero.domain.rate;

import java.time.Instant;
import java.util.Objects;

/** Whether a Xero call may start now. */
public sealed interface Decision {

    Go GO = new Go();

    record Go() implements Decision {
    }

    /** Not before {@code until}, because of {@code reason}. */
    record Wait(Instant until, WaitReason reason) implements Decision {
        public Wait {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
