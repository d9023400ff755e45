package org.lrm.xero.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    @Test
    void sixtyAMinuteThenMinute429WithRetryAfterAndA429DoesNotCount() throws Exception {
        for (int i = 0; i < 60; i++) {
            Harness.Res r = h.get("Contacts");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-MinLimit-Remaining")).isEqualTo(String.valueOf(59 - i));
            assertThat(r.header("X-DayLimit-Remaining")).isEqualTo(String.valueOf(4999 - i));
            assertThat(r.header("X-AppMinLimit-Remaining")).isEqualTo(String.valueOf(9999 - i));
        }
        Harness.Res over = h.get("Contacts");
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("X-Rate-Limit-Problem")).isEqualTo("minute");
        assertThat(Integer.parseInt(over.header("Retry-After"))).isBetween(1, 60);
        assertThat(over.header("X-DayLimit-Remaining")).isEqualTo("4940");
        h.admin.advanceClock(61);
        Harness.Res after = h.get("Contacts");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("X-MinLimit-Remaining")).isEqualTo("59");
        assertThat(h.admin.stats().at("/tenants/" + h.tenantId + "/rateLimited/minute").asInt()).isEqualTo(1);
        assertThat(h.admin.stats().at("/tenants/" + h.tenantId + "/appCallsByEndpoint/GET ~1Contacts".replace("~1", "/")).isMissingNode()).isTrue();
        assertThat(h.admin.stats().get("tenants").get(h.tenantId).get("appCallsByEndpoint").get("GET /Contacts").asInt()).isEqualTo(61);
    }

    @Test
    void dayLimitPerTenantWithRetryAfterAndUserTokensDoNotCount() throws Exception {
        h.tenantId = h.admin.createTenant("Starter org", 3);
        h.admin.consent(List.of(h.tenantId));
        h.accessToken = h.authorize("offline_access accounting.contacts").get("access_token").asText();
        for (int i = 0; i < 3; i++) assertThat(h.get("Contacts").status()).isEqualTo(200);
        h.admin.advanceClock(120);
        Harness.Res over = h.get("Contacts");
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("X-Rate-Limit-Problem")).isEqualTo("day");
        assertThat(Long.parseLong(over.header("Retry-After"))).isGreaterThan(3600);
        String user = h.admin.userToken(h.tenantId);
        assertThat(h.api(user, "GET", "Contacts", null, null).status()).isEqualTo(200);
    }

    @Test
    void moreThanFiveInFlightGetsConcurrent429() throws Exception {
        // Long enough that all eight are in flight together even on a loaded machine.
        h.admin.setFaults(Map.of("latencyMs", 2000));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<Harness.Res>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) fs.add(pool.submit(() -> { go.await(); return h.get("Contacts"); }));
            go.countDown();
            int ok = 0, concurrent = 0;
            for (Future<Harness.Res> f : fs) {
                Harness.Res r = f.get();
                if (r.status() == 200) ok++;
                if (r.status() == 429) { concurrent++; assertThat(r.header("X-Rate-Limit-Problem")).isEqualTo("concurrent"); assertThat(r.header("Retry-After")).isNull(); }
            }
            assertThat(ok + concurrent).isEqualTo(8);
            assertThat(ok).isEqualTo(5);
            assertThat(concurrent).isEqualTo(3);
            assertThat(h.admin.stats().at("/tenants/" + h.tenantId + "/highestConcurrency").asInt()).isGreaterThanOrEqualTo(6);
        } finally {
            pool.shutdownNow();
            h.admin.clearFaults();
        }
    }

    @Test
    void forcedRateLimitAndErrorFaults() throws Exception {
        h.admin.setFaults(Map.of("rateLimitProblem", "minute", "rateLimitCount", 2));
        assertThat(h.get("Contacts").status()).isEqualTo(429);
        assertThat(h.get("Contacts").header("Retry-After")).isNotNull();
        assertThat(h.get("Contacts").status()).isEqualTo(200);
        h.admin.setFaults(Map.of("errorRate", 1.0, "seed", 7));
        int s = h.get("Contacts").status();
        assertThat(s).isIn(500, 503);
        h.admin.setFaults(Map.of("expireTokensNow", true));
        assertThat(h.get("Contacts").status()).isEqualTo(401);
    }

    @Test
    void everyNthCallFaultsPickTheSameCountWhateverTheCallsAndAreCounted() throws Exception {
        h.admin.setFaults(Map.of("errorEvery", 3));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(h.get(i % 2 == 0 ? "Contacts" : "Invoices").status());
        }
        assertThat(statuses).containsExactly(200, 200, statuses.get(2), 200, 200, statuses.get(5));
        assertThat(List.of(statuses.get(2), statuses.get(5))).allMatch(s -> s == 500 || s == 503);

        h.admin.setFaults(Map.of("timeoutEvery", 2));
        assertThat(h.get("Contacts").status()).isEqualTo(200);
        HttpRequest held = HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/api.xro/2.0/Contacts"))
                .timeout(Duration.ofMillis(300)).header("Authorization", "Bearer " + h.accessToken)
                .header("xero-tenant-id", h.tenantId).GET().build();
        assertThatThrownBy(() -> h.send(held)).isInstanceOf(HttpTimeoutException.class);

        var injected = h.admin.stats().path("tenants").path(h.tenantId).path("faultsInjected");
        assertThat(injected.path("error").asInt()).isEqualTo(2);
        assertThat(injected.path("timeout").asInt()).isEqualTo(1);
    }

    @Test
    void everyNthCallCanBeRefusedAsXeroRefusesARequestItWillNeverAccept() throws Exception {
        h.admin.setFaults(Map.of("validationErrorEvery", 2));
        assertThat(h.get("Contacts").status()).isEqualTo(200);
        var refused = h.get("Invoices");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("Type").asText()).isEqualTo("ValidationException");
        assertThat(refused.json().toString()).contains("validationErrorEvery");
        assertThat(h.get("Contacts").status()).isEqualTo(200);
        assertThat(h.admin.stats().path("tenants").path(h.tenantId).path("faultsInjected").path("validation").asInt()).isEqualTo(1);
    }

    @Test
    void faultsCanPickFromOneResourcesCallsOnly() throws Exception {
        h.admin.setFaults(Map.of("validationErrorEvery", 2, "faultsOn", List.of("Invoices")));
        List<Integer> statuses = new ArrayList<>();
        for (String resource : List.of("Contacts", "Invoices", "Contacts", "Contacts", "Invoices", "Payments")) {
            statuses.add(h.get(resource).status());
        }
        assertThat(statuses).as("the second call on Invoices only").containsExactly(200, 200, 200, 200, 400, 200);
    }
}
