package org.lrm.xero.app.operator;

import java.time.Instant;
import java.util.Map;

/**
 * The lasting record of what operators changed: each replay of dead letters, with who did it, when,
 * what they selected and what it moved for which organisation. (Looks change nothing; the log has them.)
 */
public interface OperatorAudit {

    /**
     * @param operator the operator's user id (the token's {@code sub})
     * @param orgId the organisation the operator selected; null for every one
     * @param kind the kind selected; null for every one
     * @param reason the words of the reason selected; null for any
     * @param replayedByOrganisation how many dead letters went back, by the organisation each was for
     */
    record Replay(String operator, Instant at, String queue, String orgId, String kind, String reason, int matched,
            int replayed, Map<String, Integer> replayedByOrganisation) {

        public Replay {
            replayedByOrganisation = Map.copyOf(replayedByOrganisation);
        }
    }

    void replayed(Replay replay);
}
