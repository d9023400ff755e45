package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtTest {

    private static final Instant NOW = Instant.parse("2027-02-01T00:00:00Z");
    private final Jwt jwt = new Jwt("local-dev-secret");

    @Test
    void aTokenItSignedVerifiesWithItsClaims() {
        String token = jwt.forUser("org-1", "learner", "u-1", "L-1", NOW, Duration.ofHours(12));
        Map<String, Object> claims = jwt.verify(token, NOW.plus(Duration.ofHours(11))).orElseThrow();
        assertThat(claims).containsEntry("org", "org-1").containsEntry("role", "learner").containsEntry("learner", "L-1")
                .containsEntry("iss", "local").containsEntry("aud", "xero-integration").containsEntry("sub", "u-1");
    }

    @Test
    void expiredWrongAudienceWrongIssuerOrTamperedTokensAreRefused() {
        assertThat(jwt.verify(jwt.forUser("o", "staff", "u", null, NOW, Duration.ofMinutes(1)), NOW.plusSeconds(60))).isEmpty();
        assertThat(jwt.verify(jwt.sign(Map.of("iss", "local", "aud", "other", "exp", NOW.getEpochSecond() + 60)), NOW)).isEmpty();
        assertThat(jwt.verify(jwt.sign(Map.of("iss", "elsewhere", "aud", "xero-integration", "exp", NOW.getEpochSecond() + 60)), NOW))
                .isEmpty();
        assertThat(jwt.verify(jwt.sign(Map.of("iss", "local", "aud", "xero-integration")), NOW)).as("no exp").isEmpty();
        String token = jwt.forUser("org-1", "staff", "u", null, NOW, Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("staff", "admin").getBytes());
        assertThat(jwt.verify(parts[0] + "." + admin + "." + parts[2], NOW)).as("tampered").isEmpty();
        assertThat(new Jwt("another-secret").verify(token, NOW)).as("other key").isEmpty();
        assertThat(jwt.verify("a.b", NOW)).isEmpty();
        assertThat(jwt.verify(null, NOW)).isEmpty();
    }

    @Test
    void anAudienceListMustContainOurs() {
        long exp = NOW.getEpochSecond() + 60;
        assertThat(jwt.verify(jwt.sign(Map.of("iss", "local", "aud", List.of("a", "xero-integration"), "exp", exp)), NOW)).isPresent();
        assertThat(jwt.verify(jwt.sign(Map.of("iss", "local", "aud", List.of("a"), "exp", exp)), NOW)).isEmpty();
    }

    @Test
    void aTokenOfAnotherAlgorithmIsRefused() {
        String token = jwt.forUser("org-1", "staff", "u", null, NOW, Duration.ofHours(1));
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        assertThat(jwt.verify(none + token.substring(token.indexOf('.')), NOW)).isEmpty();
    }
}
