package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.xero.ContactResult.Reason;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.domain.invoice.InvoiceProjection;
import org.lrm.xero.domain.invoice.LearnerInvoice;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.ContactDetails;

/** What the adapter reads from Xero's wire shapes and writes into them. */
class XeroMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void xerosRefusalTextsAreReadAsReasons() {
        assertThat(ContactRefusals.reason(List.of("The contact name Ana Lopez W1 is already assigned to another contact."
                + " The contact name must be unique across all active contacts."))).isEqualTo(Reason.NAME_TAKEN);
        assertThat(ContactRefusals.reason(List.of("The contact number W1 is already assigned to another contact.")))
                .isEqualTo(Reason.NUMBER_TAKEN);
        assertThat(ContactRefusals.reason(List.of("The contact has been archived and cannot be edited. To edit it, restore it"
                + " (ContactStatus ACTIVE) first."))).isEqualTo(Reason.ARCHIVED);
        assertThat(ContactRefusals.reason(List.of("Email address must be valid."))).isEqualTo(Reason.OTHER);
        assertThat(ContactRefusals.of(List.of("A", "B")).xeroText()).isEqualTo("A B");
    }

    @Test
    void aLearnersContactIsSentWithTheDefaultPhoneAndThePostalAddress() throws Exception {
        ContactDetails details = new ContactDetails("Ana Lopez W1", "W1", "Ana", "Lopez", "ana@example.org", "0400 000 000",
                new Address("1 Main St", "Perth", "WA", "6000", "AU"));

        String sent = JSON.writeValueAsString(ContactDraft.of(new ContactWrite("c-1", details)));

        assertThat(sent).isEqualTo("{\"ContactID\":\"c-1\",\"ContactNumber\":\"W1\",\"Name\":\"Ana Lopez W1\",\"FirstName\":\"Ana\","
                + "\"LastName\":\"Lopez\",\"EmailAddress\":\"ana@example.org\","
                + "\"Phones\":[{\"PhoneType\":\"DEFAULT\",\"PhoneNumber\":\"0400 000 000\"}],"
                + "\"Addresses\":[{\"AddressType\":\"POBOX\",\"AddressLine1\":\"1 Main St\",\"City\":\"Perth\",\"Region\":\"WA\","
                + "\"PostalCode\":\"6000\",\"Country\":\"AU\"}]}");
        assertThat(JSON.writeValueAsString(ContactDraft.numberOnly("c-2", "W2")))
                .isEqualTo("{\"ContactID\":\"c-2\",\"ContactNumber\":\"W2\"}");
    }

    @Test
    void anInvoiceReachesTheProjectionWithXerosValuesUnrounded() throws Exception {
        Invoice wire = JSON.readValue("""
                {"InvoiceID":"inv-1","Type":"ACCREC","Status":"AUTHORISED","Contact":{"ContactID":"c-1"},
                 "Total":1500,"AmountDue":150.005,"UpdatedDateUTC":"/Date(1801353600123+0000)/",
                 "Payments":[{"PaymentID":"p-1","Amount":300.1,"Status":"DELETED"}],
                 "Prepayments":[{"PrepaymentID":"pp-1","AppliedAmount":149.995}]}""", Invoice.class);

        XeroInvoice invoice = wire.toXeroInvoice();
        LearnerInvoice projected = InvoiceProjection.project(invoice);

        assertThat(invoice.amountDue()).isEqualTo(new BigDecimal("150.005"));
        assertThat(invoice.payments()).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo("DELETED"));
        assertThat(projected.amountDue()).isEqualTo(new BigDecimal("150.01"));
        assertThat(projected.payments()).isEmpty();
        assertThat(projected.prepayments()).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(new BigDecimal("150.00")));
        assertThat(projected.version()).isEqualTo(1801353600123L);
    }

    @Test
    void onlyGuidsGoIntoAGuidFilter() {
        assertThat(Where.guidIn("CreditNoteID", List.of("0b7c6f0a-2f0e-4f7f-9d1e-6a1b2c3d4e5f")))
                .isEqualTo("CreditNoteID==Guid(\"0b7c6f0a-2f0e-4f7f-9d1e-6a1b2c3d4e5f\")");
        assertThat(Where.isGuid("x\") OR 1==1")).isFalse();
        assertThatThrownBy(() -> Where.guidIn("CreditNoteID", List.of("x\")"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Where.contactStatus("ARCHIVED")).isEqualTo("ContactStatus==\"ARCHIVED\"");
    }
}
