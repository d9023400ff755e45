package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A little receiver that verifies x-xero-signature as an integration must, and can be told to fail. */
class WebhooksTest {
    static final String KEY = "webhook-signing-key-123";
    HttpServer receiver;
    final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failNext = new AtomicInteger();
    Harness h;

    static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @BeforeEach
    void up() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/xero/webhooks", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            try {
                boolean ok = sign(body).equals(ex.getRequestHeaders().getFirst("x-xero-signature"));
                if (!ok) status = 401;
                else if (failNext.get() > 0) { failNext.decrementAndGet(); status = 500; }
                else { status = 200; received.add(Harness.M.readTree(body)); }
            } catch (Exception e) { status = 500; }
            answers.add(status);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        h = Harness.connected("http://127.0.0.1:" + receiver.getAddress().getPort() + "/xero/webhooks", KEY);
    }

    @AfterEach
    void down() { h.close(); receiver.stop(0); }

    List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (received) { for (JsonNode d : received) if (d.get("events").size() > 0) d.get("events").forEach(out::add); }
        return out;
    }

    @Test
    void intentToReceiveThenSignedBatchedEvents() throws Exception {
        // Intent to Receive ran at registration: one good (200) and one bad (401) empty delivery
        assertThat(answers).containsExactly(200, 401);
        assertThat(received.get(0).get("events")).isEmpty();
        assertThat(received.get(0).get("firstEventSequence").asInt()).isZero();
        assertThat(h.admin.stats().at("/apps/" + Harness.CLIENT_ID + "/intentToReceive").asText()).isEqualTo("PASSED");

        String c = h.contact("Webhook Person");
        h.invoice(c, "[{\"Description\":\"Course\",\"UnitAmount\":10,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        h.admin.deliverWebhooksNow();
        List<JsonNode> ev = events();
        assertThat(ev).hasSize(2);
        assertThat(ev.get(0).get("eventCategory").asText()).isEqualTo("CONTACT");
        assertThat(ev.get(0).get("eventType").asText()).isEqualTo("CREATE");
        assertThat(ev.get(0).get("resourceUrl").asText()).isEqualTo("https://api.xero.com/api.xro/2.0/Contacts/" + c);
        assertThat(ev.get(0).get("tenantId").asText()).isEqualTo(h.tenantId);
        assertThat(ev.get(0).get("tenantType").asText()).isEqualTo("ORGANISATION");
        assertThat(ev.get(1).get("eventCategory").asText()).isEqualTo("INVOICE");
        JsonNode batch = received.get(received.size() - 1);
        assertThat(batch.get("firstEventSequence").asInt()).isEqualTo(1);
        assertThat(batch.get("lastEventSequence").asInt()).isEqualTo(2);
        assertThat(batch.get("entropy").asText()).isNotBlank();
    }

    @Test
    void failedDeliveriesAreRetriedWithBackOffOnTheSandboxClock() throws Exception {
        failNext.set(1);
        h.contact("Retry Me");
        h.admin.deliverWebhooksNow();
        assertThat(events()).isEmpty();
        assertThat(h.admin.stats().at("/apps/" + Harness.CLIENT_ID + "/deliveriesFailed").asInt()).isEqualTo(1);
        h.admin.deliverWebhooksNow(); // not due yet
        assertThat(events()).isEmpty();
        h.admin.advanceClock(61);
        h.admin.deliverWebhooksNow();
        assertThat(events()).hasSize(1);
    }

    @Test
    void disabledAfterTwentyFourHoursOfFailures() throws Exception {
        failNext.set(1000);
        h.contact("Never Delivered");
        h.admin.deliverWebhooksNow();
        for (int i = 0; i < 30; i++) { h.admin.advanceClock(3600); h.admin.deliverWebhooksNow(); }
        JsonNode app = h.admin.stats().at("/apps/" + Harness.CLIENT_ID);
        assertThat(app.get("webhookDisabled").asBoolean() || !"PASSED".equals(app.get("intentToReceive").asText())).isTrue();
    }

    @Test
    void mergeSendsContactUpdatesForBoth() throws Exception {
        String a = h.contact("Dup A");
        String b = h.contact("Dup B");
        h.admin.deliverWebhooksNow();
        received.clear();
        h.admin.mergeContacts(h.tenantId, a, b);
        h.admin.deliverWebhooksNow();
        assertThat(events()).extracting(e -> e.get("resourceId").asText() + ":" + e.get("eventType").asText())
                .contains(a + ":UPDATE", b + ":UPDATE");
    }

    @Test
    void droppedAndDuplicatedByFaults() throws Exception {
        h.admin.setFaults(Map.of("duplicateWebhookRate", 1.0, "seed", 1));
        h.contact("Twice");
        h.admin.deliverWebhooksNow();
        assertThat(events()).hasSize(2);
        h.admin.setFaults(Map.of("dropWebhookRate", 1.0));
        h.contact("Never");
        h.admin.deliverWebhooksNow();
        assertThat(events()).hasSize(2);
        assertThat(h.admin.stats().at("/apps/" + Harness.CLIENT_ID + "/eventsDropped").asInt()).isEqualTo(1);
    }

    @Test
    void onlyTheCategoriesTheAppSubscribedTo() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/xero/webhooks";
        h.admin.registerApp(new SandboxAdminClient.App(Harness.CLIENT_ID, Harness.SECRET, List.of(Harness.REDIRECT), url, KEY, null,
                List.of("INVOICE")));
        assertThat(h.admin.stats().at("/apps/" + Harness.CLIENT_ID + "/webhookCategories")).extracting(JsonNode::asText).containsExactly("INVOICE");
        received.clear();
        String c = h.contact("Not Announced");
        h.invoice(c, "[{\"Description\":\"Course\",\"UnitAmount\":10,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        h.admin.deliverWebhooksNow();
        assertThat(events()).extracting(e -> e.get("eventCategory").asText()).containsExactly("INVOICE");

        // Registered without categories (the admin API's default): nothing is sent, as from a webhook subscribed to nothing.
        h.admin.registerApp(Harness.CLIENT_ID, Harness.SECRET, List.of(Harness.REDIRECT), url, KEY);
        received.clear();
        h.contact("Nobody Hears");
        h.admin.deliverWebhooksNow();
        assertThat(events()).isEmpty();
    }
}
