package org.lrm.xero.app.xero;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/** Which part of one of Xero's lists to read: what is dated within a range, or what changed since an instant. */
public sealed interface ListSelection {

    /** Dated from {@code from} to {@code to}, both included (an admin's re-sync). */
    record Dated(LocalDate from, LocalDate to) implements ListSelection {
        public Dated {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** Changed in Xero since {@code since} (the nightly run). */
    record ChangedSince(Instant since) implements ListSelection {
        public ChangedSince {
            Objects.requireNonNull(since, "since");
        }
    }

    static ListSelection dated(LocalDate from, LocalDate to) {
        return new Dated(from, to);
    }

    static ListSelection changedSince(Instant since) {
        return new ChangedSince(since);
    }
}
