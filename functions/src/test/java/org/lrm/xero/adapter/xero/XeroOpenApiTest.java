package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle itself: it finds Xero's operations and tells good bodies from bad ones. */
class XeroOpenApiTest {

    private final XeroOpenApi api = XeroOpenApi.load();

    @Test
    void findsTheOperationsTheClientUses() {
        assertThat(api.find("GET", "/api.xro/2.0/Contacts", "application/json").operationId()).isEqualTo("getContacts");
        assertThat(api.find("POST", "/api.xro/2.0/Contacts", "application/json").operationId())
                .isEqualTo("updateOrCreateContacts");
        assertThat(api.find("GET", "/api.xro/2.0/Invoices", null).operationId()).isEqualTo("getInvoices");
        assertThat(api.find("GET", "/api.xro/2.0/Invoices/0b7c6f0a-0000-0000-0000-000000000000", "application/pdf")
                .operationId()).isEqualTo("getInvoiceAsPdf");
        assertThat(api.find("GET", "/api.xro/2.0/Payments", null).operationId()).isEqualTo("getPayments");
        assertThat(api.find("GET", "/api.xro/2.0/CreditNotes", null).operationId()).isEqualTo("getCreditNotes");
        assertThat(api.find("GET", "/api.xro/2.0/Prepayments", null).operationId()).isEqualTo("getPrepayments");
        assertThat(api.find("GET", "/api.xro/2.0/Overpayments", null).operationId()).isEqualTo("getOverpayments");
        assertThat(api.find("GET", "/connections", null).operationId()).isEqualTo("getConnections");
        assertThat(api.find("DELETE", "/connections/abc", null).operationId()).isEqualTo("deleteConnection");
        assertThat(api.find("GET", "/api.xro/2.0/NoSuchThing", null)).isNull();
    }

    @Test
    void acceptsXerosOwnExamples() {
        String contacts = """
                {"Id":"04e93d48-e72f-4775-b7dd-15a041fab972","Status":"OK","DateTimeUTC":"/Date(1551399323399)/",
                 "pagination":{"page":1,"pageSize":100,"pageCount":1,"itemCount":1},
                 "Contacts":[{"ContactID":"5cc8cf28-567e-4d43-b287-687cfcaec47c","ContactStatus":"ACTIVE",
                   "Name":"Katherine Warren","UpdatedDateUTC":"/Date(1551399321043+0000)/",
                   "Phones":[{"PhoneType":"DEFAULT","PhoneNumber":"847-1294"}],
                   "Addresses":[{"AddressType":"POBOX","City":"Palo Alto"}],"HasValidationErrors":false}]}""";
        assertThat(api.validateSchema(api.accounting, "Contacts", contacts)).isEmpty();
        String error = """
                {"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
                 "Elements":[{"ContactID":"00000000-0000-0000-0000-000000000000",
                   "ValidationErrors":[{"Message":"The contact name Buzz is already assigned to another contact."}]}]}""";
        assertThat(api.validateSchema(api.accounting, "Error", error)).isEmpty();
    }

    @Test
    void rejectsWhatXeroWouldNeverSend() {
        String bad = """
                {"Contacts":[{"ContactID":"not-a-uuid","ContactStatus":"SLEEPING","Name":7}]}""";
        List<String> problems = api.validateSchema(api.accounting, "Contacts", bad);
        assertThat(String.join("\n", problems)).contains("ContactID").contains("ContactStatus").contains("Name");
    }

    @Test
    void checksParametersAndUnknownQueries() {
        RecordingProxy.Exchange ex = new RecordingProxy.Exchange("GET", "/api.xro/2.0/Invoices",
                "page=x&pageSize=10&Bogus=1&IDs=not-a-uuid", Map.of("accept", List.of("application/json")),
                new byte[0], 200, Map.of(), new byte[0]);
        String problems = String.join("\n", api.validateRequest(ex));
        assertThat(problems).contains("xero-tenant-id").contains("page=x").contains("Bogus").contains("IDs");
    }
}
