package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lrm.xero.domain.connection.XeroScopes.Need;

class XeroScopesTest {

    @Test
    void asksForTheFewestScopesThatCoverWhatIsCalledGranularUnlessBroadIsConfigured() {
        // Contacts are written; invoices and payments only read; no settings are read at all.
        assertThat(XeroScopes.parse(null).requested()).containsExactly("offline_access", "accounting.contacts",
                "accounting.invoices.read", "accounting.payments.read");
        assertThat(XeroScopes.parse(" Broad ").requested()).containsExactly("offline_access", "accounting.contacts",
                "accounting.transactions.read");
        assertThatThrownBy(() -> XeroScopes.parse("everything")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatWasRequestedIsEnoughInEitherFamily() {
        assertThat(XeroScopes.GRANULAR.missingFrom(XeroScopes.GRANULAR.requested())).isEmpty();
        assertThat(XeroScopes.BROAD.missingFrom(XeroScopes.BROAD.requested())).isEmpty();
        // A broad grant satisfies a granular request and the other way round; a write scope its read.
        assertThat(XeroScopes.GRANULAR.missingFrom(XeroScopes.BROAD.requested())).isEmpty();
        assertThat(XeroScopes.BROAD.missingFrom(XeroScopes.GRANULAR.requested())).isEmpty();
        assertThat(XeroScopes.GRANULAR.missingFrom(List.of("offline_access", "accounting.contacts", "accounting.invoices",
                "accounting.payments"))).isEmpty();
    }

    @Test
    void namesWhatAGrantLacksInTheRequestedFamily() {
        assertThat(XeroScopes.GRANULAR.missingFrom(List.of("accounting.contacts", "accounting.invoices.read")))
                .containsExactly("offline_access", "accounting.payments.read");
        assertThat(XeroScopes.BROAD.missingFrom(List.of("offline_access", "accounting.contacts")))
                .containsExactly("accounting.transactions.read");
        assertThat(XeroScopes.GRANULAR.missingFrom(List.of("accounting.contacts.read")))
                .contains("accounting.contacts");
    }

    @Test
    void eachResourceTheIntegrationCallsNeedsOneScopeAndAMissingOneBlocksOnlyThat() {
        assertThat(XeroScopes.neededFor("Contacts")).isEqualTo(Need.CONTACTS);
        assertThat(XeroScopes.neededFor("Invoices")).isEqualTo(Need.INVOICES);
        assertThat(XeroScopes.neededFor("CreditNotes")).isEqualTo(Need.INVOICES);
        assertThat(XeroScopes.neededFor("Payments")).isEqualTo(Need.PAYMENTS);
        assertThat(XeroScopes.neededFor("Overpayments")).isEqualTo(Need.PAYMENTS);
        assertThat(XeroScopes.neededFor("Organisation")).isNull();

        List<String> missing = List.of("accounting.payments.read");
        assertThat(Need.PAYMENTS.blockedBy(missing)).isTrue();
        assertThat(Need.INVOICES.blockedBy(missing)).isFalse();
        assertThat(Need.CONTACTS.blockedBy(missing)).isFalse();
        // A broad app's missing scope blocks every need it covers.
        assertThat(Need.INVOICES.blockedBy(List.of("accounting.transactions.read"))).isTrue();
        assertThat(Need.PAYMENTS.blockedBy(List.of("accounting.transactions.read"))).isTrue();
        assertThat(XeroScopes.BROAD.nameOf(Need.PAYMENTS)).isEqualTo("accounting.transactions.read");
        assertThat(XeroScopes.GRANULAR.nameOf(Need.PAYMENTS)).isEqualTo("accounting.payments.read");
    }
}
