package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FixedAppCredentials;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.invoice.WebhookSignature;
import org.lrm.xero.domain.rate.Priority;

/** Xero's deliveries: signed ones queued per tenant at interactive priority, nothing else. */
class ReceiveWebhookTest {

    private static final String KEY = "webhook-key";

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final AtomicInteger lookups = new AtomicInteger();
    /** Tenants connected elsewhere than their default {@code t-N -> org-N}. */
    private final Map<String, String> moved = new HashMap<>();
    private final ReceiveWebhook receive = new ReceiveWebhook(FixedAppCredentials.of("client", KEY), tenant -> {
        lookups.incrementAndGet();
        if (moved.containsKey(tenant)) {
            return Optional.ofNullable(moved.get(tenant));
        }
        return tenant.startsWith("t-") ? Optional.of("org-" + tenant.substring(2)) : Optional.empty();
    }, queue, clock);

    private static byte[] body(List<String> tenants) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            events.add("{\"resourceId\":\"inv-" + i + "\",\"tenantId\":\"" + tenants.get(i) + "\",\"eventCategory\":\"INVOICE\","
                    + "\"eventType\":\"UPDATE\",\"eventDateUtc\":\"2027-02-01T10:00:00." + i + "\"}");
        }
        return ("{\"events\":[" + String.join(",", events) + "],\"firstEventSequence\":1,\"lastEventSequence\":"
                + tenants.size() + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String signed(byte[] body) {
        return WebhookSignature.sign(body, KEY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signedEventsAreQueuedPerTenantAtInteractivePriority() {
        byte[] body = body(List.of("t-1", "t-2", "t-1"));

        assertThat(receive.receive(body, signed(body))).isEqualTo(ReceiveWebhook.Outcome.ACCEPTED);

        assertThat(queue.sent()).extracting(WorkMessage::orgId).containsExactly("org-1", "org-2");
        assertThat(queue.sent()).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(InvoiceEvents.EVENTS_KIND);
            assertThat(m.priority()).isEqualTo(Priority.INTERACTIVE);
        });
        assertThat(queue.sent().get(0).payload().path("events")).hasSize(2);
    }

    @Test
    void anUnsignedOrWronglySignedDeliveryQueuesNothing() {
        byte[] body = body(List.of("t-1"));

        assertThat(receive.receive(body, null)).isEqualTo(ReceiveWebhook.Outcome.REJECTED);
        assertThat(receive.receive(body, WebhookSignature.sign(body, "other".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(ReceiveWebhook.Outcome.REJECTED);
        assertThat(queue.sent()).isEmpty();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void eventsOfTenantsNoOrganisationHasAreDroppedAndKnownTenantsAreLookedUpOnce() {
        byte[] body = body(List.of("unknown", "t-1"));

        receive.receive(body, signed(body));
        receive.receive(body, signed(body));

        assertThat(queue.sent()).extracting(WorkMessage::orgId).containsExactly("org-1", "org-1");
        assertThat(lookups).hasValue(3);
    }

    @Test
    void manyEventsGoAHundredToAMessageAndAnUnreadableSignedBodyIsAcceptedAndDropped() {
        byte[] many = body(java.util.Collections.nCopies(250, "t-1"));
        receive.receive(many, signed(many));
        assertThat(queue.sent()).extracting(m -> m.payload().path("events").size()).containsExactly(100, 100, 50);

        byte[] junk = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(receive.receive(junk, signed(junk))).isEqualTo(ReceiveWebhook.Outcome.ACCEPTED);
        assertThat(queue.sent()).hasSize(3);
    }

    @Test
    void aTenantsOrganisationIsTrustedForMinutesOnlySoADisconnectOrMoveIsSeen() {
        byte[] body = body(List.of("t-1"));
        receive.receive(body, signed(body));
        moved.put("t-1", "org-new");

        clock.advance(Duration.ofMinutes(4));
        receive.receive(body, signed(body));
        clock.advance(Duration.ofMinutes(2));
        receive.receive(body, signed(body));
        moved.put("t-1", null);
        clock.advance(Duration.ofMinutes(6));
        receive.receive(body, signed(body));

        assertThat(queue.sent()).extracting(WorkMessage::orgId).containsExactly("org-1", "org-1", "org-new");
        assertThat(lookups).hasValue(3);
    }

    @Test
    void aStoredKeyThatIsRefusedChecksAndQueuesNothing() {
        ReceiveWebhook misconfigured = new ReceiveWebhook(() -> {
            throw new IllegalStateException("holds the template's placeholder webhookKey");
        }, tenant -> Optional.of("org-1"), queue, clock);
        byte[] body = body(List.of("t-1"));

        assertThat(misconfigured.receive(body, signed(body))).isEqualTo(ReceiveWebhook.Outcome.KEY_REFUSED);
        assertThat(misconfigured.receive(body, null)).as("unsigned: refused before the key is read")
                .isEqualTo(ReceiveWebhook.Outcome.REJECTED);
        assertThat(queue.sent()).isEmpty();
    }
}
