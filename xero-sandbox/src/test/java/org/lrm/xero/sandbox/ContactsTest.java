package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContactsTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    @Test
    void nameMustBeUniqueAmongActiveContactsWithXerosMessage() throws Exception {
        h.contact("Jordan Hartley");
        Harness.Res r = h.put("Contacts", "{\"Contacts\":[{\"Name\":\"Jordan Hartley\"}]}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode b = r.json();
        assertThat(b.get("ErrorNumber").asInt()).isEqualTo(10);
        assertThat(b.get("Type").asText()).isEqualTo("ValidationException");
        assertThat(b.get("Message").asText()).isEqualTo("A validation exception occurred");
        assertThat(b.at("/Elements/0/ValidationErrors/0/Message").asText())
                .isEqualTo("The contact name Jordan Hartley is already assigned to another contact. The contact name must be unique across all active contacts.");
    }

    @Test
    void aSecondContactWithTheSameContactNumberIsCreatedAsXeroPromisesNoUniqueness() throws Exception {
        assertThat(h.put("Contacts", "{\"Contacts\":[{\"Name\":\"A\",\"ContactNumber\":\"LRM-1\"}]}").status()).isEqualTo(200);
        assertThat(h.put("Contacts", "{\"Contacts\":[{\"Name\":\"B\",\"ContactNumber\":\"LRM-1\"}]}").status()).isEqualTo(200);
        Harness.Res found = h.api("GET", "Contacts?where=" + Harness.enc("ContactNumber==\"LRM-1\""), null, null);
        assertThat(found.json().get("Contacts")).hasSize(2);
        assertThat(h.get("Contacts/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void summarizeErrorsFalseCreatesTheRestAndFlagsTheBadOnes() throws Exception {
        h.contact("Taken");
        Harness.Res r = h.post("Contacts?summarizeErrors=false",
                "{\"Contacts\":[{\"Name\":\"Fresh One\"},{\"Name\":\"Taken\"},{\"Name\":\"Fresh Two\",\"EmailAddress\":\"not-an-email\"},{\"Name\":\"Fresh Three\"}]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode cs = r.json().get("Contacts");
        assertThat(cs).hasSize(4);
        assertThat(cs.get(0).get("StatusAttributeString").asText()).isEqualTo("OK");
        assertThat(cs.get(0).get("ContactID").asText()).isNotBlank();
        assertThat(cs.get(1).get("StatusAttributeString").asText()).isEqualTo("ERROR");
        assertThat(cs.get(1).at("/ValidationErrors/0/Message").asText()).contains("is already assigned to another contact");
        assertThat(cs.get(2).at("/ValidationErrors/0/Message").asText()).isEqualTo("Email address must be valid.");
        assertThat(cs.get(3).get("StatusAttributeString").asText()).isEqualTo("OK");
        assertThat(h.get("Contacts").json().get("Contacts")).hasSize(3);
        assertThat(r.json().get("Contacts").get(0).get("UpdatedDateUTC").asText()).matches("/Date\\(\\d+\\+0000\\)/");
    }

    @Test
    void archivedContactsHiddenUnlessAskedAndMergeMovesInvoices() throws Exception {
        String from = h.contact("Old Record");
        String into = h.contact("New Record");
        JsonNode inv = h.invoice(from, "[{\"Description\":\"Course\",\"Quantity\":1,\"UnitAmount\":100,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]", "Exclusive");
        h.admin.mergeContacts(h.tenantId, from, into);
        JsonNode moved = h.get("Invoices/" + inv.get("InvoiceID").asText()).json().at("/Invoices/0");
        assertThat(moved.at("/Contact/ContactID").asText()).isEqualTo(into);
        assertThat(h.get("Contacts").json().get("Contacts")).hasSize(1);
        JsonNode all = h.get("Contacts?includeArchived=true").json().get("Contacts");
        assertThat(all).hasSize(2);
        JsonNode old = h.get("Contacts/" + from).json().at("/Contacts/0");
        assertThat(old.get("ContactStatus").asText()).isEqualTo("ARCHIVED");
        assertThat(old.get("MergedToContactID").asText()).isEqualTo(into);
        // an archived contact cannot be edited, except to restore it
        Harness.Res edit = h.post("Contacts/" + from, "{\"Contacts\":[{\"EmailAddress\":\"a@b.co\"}]}");
        assertThat(edit.status()).isEqualTo(400);
        // its name is free again among active contacts
        assertThat(h.put("Contacts", "{\"Contacts\":[{\"Name\":\"Old Record\"}]}").status()).isEqualTo(200);
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponse() throws Exception {
        Map<String, String> key = new java.util.HashMap<>(Map.of("Idempotency-Key", "k-1"));
        Harness.Res a = h.api("PUT", "Contacts", "{\"Contacts\":[{\"Name\":\"Once\"}]}", key);
        Harness.Res b = h.api("PUT", "Contacts", "{\"Contacts\":[{\"Name\":\"Once\"}]}", key);
        assertThat(a.status()).isEqualTo(200);
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().at("/Contacts/0/ContactID")).isEqualTo(a.json().at("/Contacts/0/ContactID"));
        assertThat(h.get("Contacts").json().get("Contacts")).hasSize(1);
        h.admin.advanceClock(25 * 3600);
        h.accessToken = h.token(Map.of("grant_type", "refresh_token", "refresh_token", h.refreshToken)).json().get("access_token").asText();
        Harness.Res c = h.api("PUT", "Contacts", "{\"Contacts\":[{\"Name\":\"Once\"}]}", key);
        assertThat(c.status()).isEqualTo(400); // executed again after 24 h: the name is now taken
    }

    @Test
    void ifModifiedSinceAndPaging() throws Exception {
        h.contact("First");
        h.admin.advanceClock(120);
        java.time.Instant mark = h.admin.now();
        h.admin.advanceClock(1);
        h.contact("Second");
        h.contact("Third");
        JsonNode since = h.api("GET", "Contacts", null, Map.of("If-Modified-Since", mark.toString())).json();
        assertThat(since.get("Contacts")).hasSize(2);
        JsonNode page = h.get("Contacts?page=2&pageSize=2&order=Name%20ASC").json();
        assertThat(page.get("Contacts")).hasSize(1);
        assertThat(page.at("/pagination/itemCount").asInt()).isEqualTo(3);
        assertThat(page.at("/Contacts/0/Name").asText()).isEqualTo("Third");
    }
}
