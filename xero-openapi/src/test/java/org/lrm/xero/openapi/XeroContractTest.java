package org.lrm.xero.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.openapi.XeroContract.Document;
import org.lrm.xero.openapi.XeroContract.Exchange;
import org.lrm.xero.openapi.XeroContract.Violation;

/** The oracle: it passes what Xero documents, and catches what Xero would refuse or never send. */
class XeroContractTest {

    private static final XeroContract CONTRACT = XeroContract.load();
    private static final String TENANT = "fe79f7dd-b6d4-4a92-ba7b-538af6289c58";
    private static final String INVOICE_ID = "0b7c6f0a-1f0a-4b3a-9a8e-4f7c3c1e2d11";
    private static final String CONTACTS_ANSWER = """
            {"Id":"04e93d48-e72f-4775-b7dd-15a041fab972","Status":"OK","DateTimeUTC":"/Date(1551399323399)/",
             "pagination":{"page":1,"pageSize":100,"pageCount":1,"itemCount":1},
             "Contacts":[{"ContactID":"5cc8cf28-567e-4d43-b287-687cfcaec47c","ContactStatus":"ACTIVE",
               "Name":"Katherine Warren","UpdatedDateUTC":"/Date(1551399321043+0000)/",
               "Phones":[{"PhoneType":"DEFAULT","PhoneNumber":"847-1294"}],
               "Addresses":[{"AddressType":"POBOX","City":"Palo Alto"}],"HasValidationErrors":false}]}""";

    private static Map<String, List<String>> accounting(String accept) {
        return Map.of("Authorization", List.of("Bearer t"), "xero-tenant-id", List.of(TENANT), "Accept", List.of(accept));
    }

    private static Map<String, List<String>> json() {
        return Map.of("Content-Type", List.of("application/json; charset=utf-8"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String problems(Exchange ex) {
        return String.join("\n", CONTRACT.check(ex).stream().map(Violation::toString).toList());
    }

    @Test
    void xerosOwnAnswersConform() {
        Exchange ex = new Exchange("GET", "/api.xro/2.0/Contacts", "page=1&pageSize=100&IDs=" + TENANT + "," + INVOICE_ID,
                accounting("application/json"), null, 200, json(), bytes(CONTACTS_ANSWER));
        assertThat(CONTRACT.check(ex)).isEmpty();
        // Paths are case-insensitive at Xero, as here.
        Exchange lower = new Exchange("GET", "/api.xro/2.0/contacts", null, accounting("application/json"), null, 200, json(),
                bytes(CONTACTS_ANSWER));
        assertThat(CONTRACT.check(lower)).isEmpty();
    }

    @Test
    void aContactWithAWrongFieldTypeIsCaught() {
        Exchange ex = new Exchange("POST", "/api.xro/2.0/Contacts", "summarizeErrors=false",
                Map.of("Authorization", List.of("Bearer t"), "xero-tenant-id", List.of(TENANT), "Accept", List.of("application/json"),
                        "Content-Type", List.of("application/json")),
                bytes("{\"Contacts\":[{\"Name\":7,\"ContactStatus\":\"SLEEPING\",\"EmailAddress\":\"a@b.co\"}]}"), 200, json(),
                bytes(CONTACTS_ANSWER));
        String problems = problems(ex);
        assertThat(problems).contains("validation.request.body.schema").contains("/Contacts/0/Name").contains("SLEEPING");
    }

    @Test
    void unknownQueryParametersAndMalformedValuesAreCaught() {
        Exchange ex = new Exchange("GET", "/api.xro/2.0/Invoices", "page=x&Bogus=1&Statuses=AUTHORISED&IDs=not-a-uuid",
                accounting("application/json"), null, 200, json(), bytes("{\"Invoices\":[]}"));
        String problems = problems(ex);
        assertThat(problems).contains("validation.request.parameter.query.unexpected").contains("Bogus")
                .contains("page").contains("not-a-uuid");
        Exchange noTenant = new Exchange("GET", "/api.xro/2.0/Invoices", null, Map.of("Accept", List.of("application/json")),
                null, 200, json(), bytes("{\"Invoices\":[]}"));
        assertThat(problems(noTenant)).contains("xero-tenant-id");
    }

    @Test
    void answersMustCarryXerosMsDatesWhileRequestsMayUseIsoDates() {
        Exchange isoAnswer = new Exchange("GET", "/api.xro/2.0/Invoices", null, accounting("application/json"), null, 200, json(),
                bytes("{\"Invoices\":[{\"DueDate\":\"2027-02-01\",\"Payments\":[{\"Date\":\"/Date(1801440000000+0000)/\"}]}]}"));
        assertThat(CONTRACT.check(isoAnswer)).singleElement().asString().contains("/Invoices/0/DueDate");
        assertThat(CONTRACT.validateSchema(Document.ACCOUNTING, "Invoices",
                "{\"Invoices\":[{\"Date\":\"/Date(1801440000000+0000)/\",\"UpdatedDateUTC\":\"/Date(1)/\"}]}")).isEmpty();
        Exchange isoRequest = new Exchange("PUT", "/api.xro/2.0/Invoices", null,
                Map.of("Authorization", List.of("Bearer t"), "xero-tenant-id", List.of(TENANT), "Accept", List.of("application/json"),
                        "Content-Type", List.of("application/json")),
                bytes("{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\"" + TENANT + "\"},\"Date\":\"2027-02-01\"}]}"),
                200, json(), bytes("{\"Invoices\":[{\"Date\":\"/Date(1801440000000+0000)/\"}]}"));
        assertThat(CONTRACT.check(isoRequest)).isEmpty();
    }

    @Test
    void theInvoicePdfIsValidatedAsXerosPdfOperation() {
        Exchange pdf = new Exchange("GET", "/api.xro/2.0/Invoices/" + INVOICE_ID, null, accounting("application/pdf"), null, 200,
                Map.of("Content-Type", List.of("application/pdf")), bytes("%PDF-1.4\n"));
        assertThat(CONTRACT.check(pdf)).isEmpty();
        Exchange jsonForPdf = new Exchange("GET", "/api.xro/2.0/Invoices/" + INVOICE_ID, null, accounting("application/pdf"), null,
                200, json(), bytes("{\"Invoices\":[]}"));
        assertThat(problems(jsonForPdf)).contains("validation.response.contentType.notAllowed");
    }

    @Test
    void errorStatusesXeroDocumentsNowhereAreLetThroughAndA400MustBeXerosError() {
        Exchange unauthorized = new Exchange("GET", "/api.xro/2.0/Contacts", null, accounting("application/json"), null, 401, json(),
                bytes("{\"Title\":\"Unauthorized\",\"Status\":401,\"Detail\":\"AuthenticationUnsuccessful\"}"));
        assertThat(CONTRACT.check(unauthorized)).isEmpty();
        Exchange goodError = new Exchange("GET", "/api.xro/2.0/Invoices", "where=Foo%3D%3D1", accounting("application/json"), null,
                400, json(), bytes("{\"ErrorNumber\":16,\"Type\":\"QueryParseException\",\"Message\":\"No property or field 'Foo' exists\"}"));
        assertThat(CONTRACT.check(goodError)).isEmpty();
        Exchange badError = new Exchange("GET", "/api.xro/2.0/Invoices", null, accounting("application/json"), null, 400, json(),
                bytes("{\"ErrorNumber\":\"ten\"}"));
        assertThat(problems(badError)).contains("ErrorNumber");
        Exchange undocumentedSuccess = new Exchange("DELETE", "/connections/7cb59f93-2964-421d-bb5e-a0f7a4572a44", null,
                Map.of("Authorization", List.of("Bearer t")), null, 200, Map.of(), new byte[0]);
        assertThat(problems(undocumentedSuccess)).contains("validation.response.status.unknown");
    }

    @Test
    void connectionsTakeXerosOffsetlessTimestampsOnly() {
        Exchange ok = new Exchange("GET", "/connections", "authEventId=d99ecdfe-391d-43d2-b834-17636ba90e8d",
                Map.of("Authorization", List.of("Bearer t")), null, 200, json(), bytes("""
                        [{"id":"7cb59f93-2964-421d-bb5e-a0f7a4572a44","authEventId":"d99ecdfe-391d-43d2-b834-17636ba90e8d",
                          "tenantId":"fe79f7dd-b6d4-4a92-ba7b-538af6289c58","tenantType":"ORGANISATION","tenantName":"Demo",
                          "createdDateUtc":"2019-12-07T18:46:19.5165400","updatedDateUtc":"2019-12-07T18:46:19.5187840"}]"""));
        assertThat(CONTRACT.check(ok)).isEmpty();
        Exchange bad = new Exchange("GET", "/connections", "authEventId=not-a-uuid", Map.of("Authorization", List.of("Bearer t")), null,
                200, json(), bytes("[{\"createdDateUtc\":\"yesterday\"}]"));
        assertThat(problems(bad)).contains("authEventId").contains("createdDateUtc");
    }

    @Test
    void tokenAnswersAreHeldToTheIdentitySchemas() {
        Map<String, List<String>> form = Map.of("Content-Type", List.of("application/x-www-form-urlencoded"));
        Exchange ok = new Exchange("POST", "/connect/token", null, form, bytes("grant_type=refresh_token&refresh_token=r"), 200, json(),
                bytes("{\"access_token\":\"a\",\"expires_in\":1800,\"token_type\":\"Bearer\",\"refresh_token\":\"r2\",\"scope\":\"offline_access\"}"));
        assertThat(CONTRACT.check(ok)).isEmpty();
        Exchange bad = new Exchange("POST", "/connect/token", null, form, bytes("grant_type=refresh_token&refresh_token=r"), 200, json(),
                bytes("{\"access_token\":\"a\",\"expires_in\":\"half an hour\"}"));
        assertThat(problems(bad)).contains("expires_in");
    }
}
