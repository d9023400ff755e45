package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every exchange the sandbox serves is held to Xero's OpenAPI documents; what breaks them is recorded at /sandbox/contract. */
class ContractTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    @Test
    void theSandboxsOwnAnswersKeepXerosContract() throws Exception {
        String contact = h.contact("Ada Contract");
        JsonNode inv = h.invoice(contact, "[{\"Description\":\"Course\",\"Quantity\":1,\"UnitAmount\":100,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT\"}]", "Exclusive");
        String invoiceId = inv.get("InvoiceID").asText();
        assertThat(h.put("Payments", "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\"" + invoiceId + "\"},\"Account\":{\"Code\":\"090\"},\"Amount\":10,\"Date\":\"2026-03-05\"}]}").status()).isEqualTo(200);
        h.get("Contacts?page=1&pageSize=10&order=" + Harness.enc("Name ASC"));
        h.get("Contacts?IDs=" + contact + "&includeArchived=true&summaryOnly=true");
        h.get("Invoices?Statuses=AUTHORISED,PAID&ContactIDs=" + contact);
        h.get("Invoices/" + invoiceId);
        assertThat(h.api("GET", "Invoices/" + invoiceId, null, new java.util.HashMap<>(Map.of("Accept", "application/pdf"))).status()).isEqualTo(200);
        h.get("Payments?page=1");
        h.get("CreditNotes");
        h.get("Prepayments?page=1");
        h.get("Overpayments");
        h.get("Invoices/" + java.util.UUID.randomUUID()); // 404: documented nowhere, let through
        h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connections")).header("Authorization", "Bearer " + h.accessToken).GET().build());
        h.token(Map.of("grant_type", "refresh_token", "refresh_token", h.refreshToken));

        JsonNode report = h.admin.contract();
        assertThat(report.get("checked").asLong()).isGreaterThanOrEqualTo(14);
        assertThat(report.get("violations")).as("violations").isEmpty();
    }

    @Test
    void aWrongRequestIsCaughtAndKeptUntilCleared() throws Exception {
        h.put("Contacts", "{\"Contacts\":[{\"Name\":7}]}");
        h.get("Invoices?page=two&Bogus=1");
        JsonNode report = h.admin.contract();
        assertThat(report.get("violationCount").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(report.get("violations")).extracting(v -> v.get("key").asText() + " " + v.get("message").asText())
                .anySatisfy(m -> assertThat(m).contains("validation.request.body.schema").contains("/Contacts/0/Name"))
                .anySatisfy(m -> assertThat(m).contains("validation.request.parameter.query.unexpected").contains("Bogus"))
                .anySatisfy(m -> assertThat(m).contains("validation.request.parameter.schema.type").contains("query parameter page"));
        assertThat(h.admin.stats().at("/contract/violationCount").asLong()).isEqualTo(report.get("violationCount").asLong());
        org.assertj.core.api.Assertions.assertThatThrownBy(h.admin::assertContractKept).hasMessageContaining("Bogus");
        h.admin.clearContract();
        assertThat(h.admin.contract().get("violations")).isEmpty();
    }
}
