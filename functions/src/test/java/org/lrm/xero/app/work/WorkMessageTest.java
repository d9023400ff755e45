package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

class WorkMessageTest {

    @Test
    void roundTripsThroughJsonAndCountsDeferrals() {
        WorkMessage message = WorkMessage.of("learner-sync", "org-1", "t-1", Priority.BULK,
                Json.MAPPER.createObjectNode().put("learnerId", "L1"));
        WorkMessage deferred = message.deferredUntil(Instant.parse("2025-03-02T00:00:00Z")).deferredUntil(Instant.parse("2025-03-03T00:00:00Z"));

        WorkMessage read = WorkMessage.parse(deferred.toJson());

        assertThat(read).isEqualTo(deferred);
        assertThat(read.deferrals()).isEqualTo(2);
        assertThat(read.replayed()).isEqualTo(message);
    }

    @Test
    void aBodyThatIsNoWorkMessageIsRefused() {
        assertThatThrownBy(() -> WorkMessage.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkMessage.parse("{\"kind\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkMessage.parse("null")).isInstanceOf(IllegalArgumentException.class);
    }
}
