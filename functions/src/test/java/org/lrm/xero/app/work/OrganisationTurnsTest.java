package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrganisationTurnsTest {

    @Test
    void aBigOrganisationsBacklogTakesItsTurnAfterTheSmallOrganisationsOfItsBatch() {
        Map<String, List<Integer>> batch = new LinkedHashMap<>();
        batch.put("org-big", List.of(1, 2, 3, 4, 5, 6, 7));
        batch.put("org-small-a", List.of(8));
        batch.put("org-medium", List.of(9, 10));
        batch.put("org-small-b", List.of(11));

        assertThat(OrganisationTurns.fewestFirst(batch))
                .as("fewest messages first; as many, in the order received")
                .containsExactly("org-small-a", "org-small-b", "org-medium", "org-big");
    }

    @Test
    void organisationsWithAsManyMessagesKeepTheOrderTheyWereReceivedIn() {
        Map<String, List<Integer>> batch = new LinkedHashMap<>();
        for (String org : List.of("org-c", "org-a", "org-d", "org-b")) {
            batch.put(org, List.of(1));
        }

        assertThat(OrganisationTurns.fewestFirst(batch)).containsExactly("org-c", "org-a", "org-d", "org-b");
    }
}
