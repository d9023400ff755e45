package org.lrm.xero.app.work;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which the organisations of one received batch take their turn: fewest messages first, those
 * with as many in the order received. A batch mixes organisations (Lambda hands the learner-sync worker up to
 * 50 messages at once) and a worker works one organisation after another. In the order received, a big
 * organisation's backlog (49 bulk-sync messages: 49 Xero calls and their writes) would hold up a small
 * organisation's one message behind it for all of them, though neither shares the other's budget. Fewest
 * first, the small organisation's work waits only for other small work of its batch, and the big one's waits
 * for no more than that.
 */
public final class OrganisationTurns {

    private OrganisationTurns() {
    }

    /** The organisations of {@code workByOrg} (in the order received), fewest messages first. */
    public static List<String> fewestFirst(Map<String, ? extends Collection<?>> workByOrg) {
        List<String> turns = new ArrayList<>(workByOrg.keySet());
        // List.sort is stable: organisations with as many messages keep the order they were received in.
        turns.sort(Comparator.comparingInt(orgId -> workByOrg.get(orgId).size()));
        return turns;
    }
}
