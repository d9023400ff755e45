package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What Xero leaves out of a list, and the filters it refuses: the sandbox is never kinder (README, "Never kinder than Xero"). */
class NeverKinderTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    @Test
    void mergedToContactIdOnlyOnAPageOrAFetchByIdOrNumber() throws Exception {
        String from = h.contact("Old Record");
        String into = h.contact("New Record");
        assertThat(h.post("Contacts/" + from, "{\"Contacts\":[{\"ContactNumber\":\"LRM-7\"}]}").status()).isEqualTo(200);
        h.admin.mergeContacts(h.tenantId, from, into);

        JsonNode byIds = h.get("Contacts?IDs=" + from + "," + into).json().get("Contacts");
        assertThat(byIds).hasSize(2).allSatisfy(c -> assertThat(c.has("MergedToContactID")).isFalse());
        JsonNode archived = h.get("Contacts?includeArchived=true&where=" + Harness.enc("ContactStatus==\"ARCHIVED\"")).json().get("Contacts");
        assertThat(archived).singleElement().satisfies(c -> assertThat(c.has("MergedToContactID")).isFalse());
        assertThat(h.get("Contacts?IDs=" + from + "&summaryOnly=true").json().at("/Contacts/0").has("MergedToContactID")).isFalse();

        assertThat(h.get("Contacts?IDs=" + from + "&page=1").json().at("/Contacts/0/MergedToContactID").asText()).isEqualTo(into);
        assertThat(h.get("Contacts/" + from).json().at("/Contacts/0/MergedToContactID").asText()).isEqualTo(into);
        assertThat(h.get("Contacts/LRM-7").json().at("/Contacts/0/MergedToContactID").asText()).isEqualTo(into);
    }

    @Test
    void lineItemsAndAllocationsOnlyOnAPageOrASingleFetch() throws Exception {
        String contact = h.contact("Student One");
        JsonNode inv = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":1,\"UnitAmount\":500,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "NoTax");
        String invoiceId = inv.get("InvoiceID").asText();
        String cn = h.put("CreditNotes", "{\"CreditNotes\":[{\"Type\":\"ACCRECCREDIT\",\"Contact\":{\"ContactID\":\"" + contact + "\"},"
                + "\"Status\":\"AUTHORISED\",\"LineItems\":[{\"Description\":\"Refund\",\"Quantity\":1,\"UnitAmount\":50,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]}]}")
                .json().at("/CreditNotes/0/CreditNoteID").asText();
        assertThat(h.put("CreditNotes/" + cn + "/Allocations", "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\"" + invoiceId + "\"},\"Amount\":50}]}")
                .status()).isEqualTo(200);

        assertThat(h.get("Invoices").json().at("/Invoices/0/LineItems")).isEmpty();
        assertThat(h.get("Invoices?IDs=" + invoiceId).json().at("/Invoices/0/LineItems")).isEmpty();
        assertThat(h.get("Invoices?page=1").json().at("/Invoices/0/LineItems")).hasSize(1);
        assertThat(h.get("Invoices/" + invoiceId).json().at("/Invoices/0/LineItems")).hasSize(1);

        JsonNode unpaged = h.get("CreditNotes").json().at("/CreditNotes/0");
        assertThat(unpaged.get("LineItems")).isEmpty();
        assertThat(unpaged.has("Allocations")).isFalse();
        assertThat(h.get("CreditNotes?page=1").json().at("/CreditNotes/0/Allocations")).hasSize(1);
        assertThat(h.get("CreditNotes/" + cn).json().at("/CreditNotes/0/Allocations")).hasSize(1);
        // The invoice still shows the credit applied to it, list or not.
        assertThat(h.get("Invoices").json().at("/Invoices/0/CreditNotes")).hasSize(1);
    }

    @Test
    void aQueryLongerThanXerosFrontDoorTakesIsAnswered404AndNotCounted() throws Exception {
        String contact = h.contact("Student One");
        List<String> ids = new ArrayList<>(List.of(contact));
        while (ids.size() < 52) ids.add(UUID.randomUUID().toString());
        // 52 GUIDs with encoded commas: 2,029 characters of query, as Xero's SDKs send them (xero-node #404: 52 pass).
        String fiftyTwo = "IDs=" + String.join("%2C", ids);
        assertThat(fiftyTwo.length()).isLessThanOrEqualTo(AccountingGateway.MAX_QUERY_LENGTH);
        Harness.Res ok = h.get("Contacts?" + fiftyTwo);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("Contacts")).hasSize(1);
        long callsBefore = h.admin.stats().at("/tenants/" + h.tenantId + "/appCalls").asLong();

        ids.add(UUID.randomUUID().toString());
        Harness.Res tooLong = h.get("Contacts?IDs=" + String.join("%2C", ids));
        assertThat(tooLong.status()).isEqualTo(404);
        assertThat(tooLong.text()).isEqualTo("The resource you're looking for cannot be found");
        StringBuilder where = new StringBuilder();
        for (String id : ids) where.append(where.length() == 0 ? "" : " OR ").append("ContactID==Guid(\"").append(id).append("\")");
        assertThat(h.get("Contacts?where=" + Harness.enc(where.toString())).status()).isEqualTo(404);
        assertThat(h.admin.stats().at("/tenants/" + h.tenantId + "/appCalls").asLong()).isEqualTo(callsBefore);
    }

    @Test
    void tenantsAreOnXerosTiers() throws Exception {
        String starter = h.admin.createTenant("Starter Co", "STARTER", null);
        String core = h.admin.createTenant("Core Co", null, null);
        String custom = h.admin.createTenant("Custom Co", "STARTER", 3);
        JsonNode tenants = h.admin.stats().get("tenants");
        assertThat(tenants.at("/" + starter + "/tier").asText()).isEqualTo("STARTER");
        assertThat(tenants.at("/" + starter + "/dayLimit").asInt()).isEqualTo(1_000);
        assertThat(tenants.at("/" + core + "/tier").asText()).isEqualTo("CORE");
        assertThat(tenants.at("/" + core + "/dayLimit").asInt()).isEqualTo(5_000);
        assertThat(tenants.at("/" + custom + "/dayLimit").asInt()).isEqualTo(3);

        h.tenantId = starter;
        h.admin.consent(List.of(starter));
        h.accessToken = h.authorize(Harness.SCOPES).get("access_token").asText();
        assertThat(h.get("Contacts").header("X-DayLimit-Remaining")).isEqualTo("999");
    }
}
