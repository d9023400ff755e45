package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The nonce that binds a connect to a browser: random, stored only as a hash, never shown. */
class BrowserNonceTest {

    @Test
    void eachNonceIsNewAndOnlyItsOwnHashMatches() {
        BrowserNonce one = BrowserNonce.fresh();
        BrowserNonce two = BrowserNonce.fresh();

        assertThat(one.value()).hasSize(43).isNotEqualTo(two.value());
        assertThat(one.hash()).hasSize(64).doesNotContain(one.value());
        assertThat(one.matches(one.hash())).isTrue();
        assertThat(one.matches(two.hash())).isFalse();
        assertThat(one.matches(null)).isFalse();
        assertThat(one.toString()).doesNotContain(one.value());
    }

    @Test
    void aCookieThatIsNotOneOfOursIsNoNonce() {
        BrowserNonce one = BrowserNonce.fresh();

        assertThat(BrowserNonce.parse(one.value())).contains(one);
        assertThat(BrowserNonce.parse(null)).isEmpty();
        assertThat(BrowserNonce.parse("short")).isEmpty();
        assertThat(BrowserNonce.parse(one.value() + ";x")).isEmpty();
    }
}
