package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class XeroScopesTest {

    @Test
    void asksForGranularScopesUnlessBroadIsConfigured() {
        assertThat(XeroScopes.parse(null).requested()).containsExactly("offline_access", "accounting.contacts",
                "accounting.invoices", "accounting.payments", "accounting.settings.read");
        assertThat(XeroScopes.parse(" Broad ").requested()).containsExactly("offline_access",
                "accounting.transactions", "accounting.contacts", "accounting.settings");
        assertThatThrownBy(() -> XeroScopes.parse("everything")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatWasRequestedIsEnoughInEitherFamily() {
        assertThat(XeroScopes.GRANULAR.missingFrom(XeroScopes.GRANULAR.requested())).isEmpty();
        assertThat(XeroScopes.BROAD.missingFrom(XeroScopes.BROAD.requested())).isEmpty();
        // A broad grant satisfies a granular request and the other way round.
        assertThat(XeroScopes.GRANULAR.missingFrom(XeroScopes.BROAD.requested())).isEmpty();
        assertThat(XeroScopes.BROAD.missingFrom(XeroScopes.GRANULAR.requested())).isEmpty();
    }

    @Test
    void namesWhatAGrantLacksInTheRequestedFamily() {
        assertThat(XeroScopes.GRANULAR.missingFrom(List.of("accounting.contacts", "accounting.invoices")))
                .containsExactly("offline_access", "accounting.payments", "accounting.settings.read");
        assertThat(XeroScopes.BROAD.missingFrom(List.of("offline_access", "accounting.contacts")))
                .containsExactly("accounting.transactions", "accounting.settings");
        assertThat(XeroScopes.GRANULAR.missingFrom(List.of("accounting.settings.read"))).doesNotContain(
                "accounting.settings.read");
    }
}
