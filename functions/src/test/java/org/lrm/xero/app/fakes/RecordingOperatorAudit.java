package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.List;
import org.lrm.xero.app.operator.OperatorAudit;

/** {@link OperatorAudit} that keeps what it is given, for tests to read. */
public final class RecordingOperatorAudit implements OperatorAudit {

    private final List<Replay> replays = new ArrayList<>();

    @Override
    public void replayed(Replay replay) {
        replays.add(replay);
    }

    public List<Replay> replays() {
        return List.copyOf(replays);
    }
}
