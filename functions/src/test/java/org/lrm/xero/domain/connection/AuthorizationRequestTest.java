package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {

    @Test
    void theChallengeIsRfc7636S256OfTheVerifier() {
        // The example of RFC 7636, appendix B.
        AuthorizationRequest r = new AuthorizationRequest("s", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertThat(r.codeChallenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void statesAndVerifiersAreRandomUrlSafeAndLongEnough() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            AuthorizationRequest r = AuthorizationRequest.random();
            assertThat(r.state()).matches("[A-Za-z0-9_-]{43}");
            // RFC 7636: 43 to 128 characters of the unreserved set.
            assertThat(r.codeVerifier()).matches("[A-Za-z0-9_-]{43}");
            assertThat(seen.add(r.state())).isTrue();
            assertThat(seen.add(r.codeVerifier())).isTrue();
        }
    }

    @Test
    void onlyTheStatesHashIsAKeyAndNeitherSecretIsPrinted() {
        AuthorizationRequest r = AuthorizationRequest.random();
        assertThat(AuthorizationRequest.stateHash(r.state())).matches("[0-9a-f]{64}")
                .isEqualTo(AuthorizationRequest.stateHash(r.state())).doesNotContain(r.state());
        assertThat(r.toString()).doesNotContain(r.state()).doesNotContain(r.codeVerifier());
    }
}
