package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.openapi.XeroContract;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;

/**
 * Contract tests: every operation the client uses, run through the recording proxy against the Xero
 * sandbox, with the request and the response both validated against Xero's official OpenAPI, and
 * every error outcome provoked in the sandbox and checked as the client maps it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XeroContractIT {

    private static final String CLIENT_ID = "lrm-contract-client";
    private static final String SECRET = "lrm-contract-secret";
    private static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");
    /** Granular: the sandbox registers the app as a new one, which Xero refuses the broad scopes. */
    private static final List<String> SCOPES = List.of("openid", "offline_access", "accounting.contacts",
            "accounting.invoices", "accounting.payments", "accounting.settings.read");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static XeroSandbox sandbox;
    private static SandboxAdminClient admin;
    private static RecordingProxy proxy;
    private static XeroClient client;
    private static final HttpClient raw = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final AppCredentials APP = new AppCredentials(CLIENT_ID, SECRET);
    private static String tenantId;
    private static String otherTenantId;
    private static TokenSet tokens;
    private static XeroCall call;
    private static String contactId;
    private static String invoiceId;

    @BeforeAll
    static void connect() throws Exception {
        sandbox = XeroSandbox.start(0);
        admin = new SandboxAdminClient(sandbox.baseUri());
        tenantId = admin.createTenant("Contract Learning", null);
        otherTenantId = admin.createTenant("Not Connected Ltd", null);
        admin.registerApp(CLIENT_ID, SECRET, List.of(REDIRECT.toString()), null, null);
        admin.consent(List.of(tenantId));
        proxy = RecordingProxy.to(sandbox.baseUri());
        client = new XeroClient(HttpClient.newHttpClient(), XeroEndpoints.single(proxy.baseUri()), JSON,
                Duration.ofSeconds(10));
        tokens = authorize();
        call = new XeroCall(tenantId, tokens.accessToken());
        seed();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (sandbox != null) {
            try {
                admin.assertContractKept();
            } finally {
                sandbox.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        proxy.clear();
        admin.clearFaults();
    }

    @AfterEach
    void clearFaults() {
        proxy.rewriteQuery(null);
        admin.clearFaults();
    }

    /** The OAuth authorization code flow with PKCE, as the integration runs it. */
    private static TokenSet authorize() throws Exception {
        String verifier = XeroClient.newCodeVerifier();
        URI authorize = client.authorizeUrl(CLIENT_ID, REDIRECT, SCOPES, "state-1", XeroClient.codeChallengeS256(verifier));
        HttpResponse<String> r = raw.send(HttpRequest.newBuilder(authorize).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("authorize: %s", r.body()).isEqualTo(302);
        URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
        Map<String, List<String>> q = RecordingProxy.query(location.getRawQuery());
        assertThat(q.get("state")).containsExactly("state-1");
        return client.exchangeCode(APP, q.get("code").get(0), REDIRECT, verifier).orElseThrow();
    }

    /** Data a finance person would have entered in Xero (user token, straight to the sandbox). */
    private static void seed() throws Exception {
        String user = admin.userToken(tenantId);
        ContactDraft ada = new ContactDraft(null, "W100", "Ada Contract", "Ada", "Contract", "ada@example.org",
                Phone.mobile("021 555 1212"), Address.postal("1 Main St", null, "Wellington", null, "6011", "NZ"));
        contactId = client.upsertContacts(call, List.of(ada), "seed-" + UUID.randomUUID()).orElseThrow().get(0)
                .contact().contactId();
        JsonNode inv = userPut(user, "Invoices", """
                {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"%s"},"Date":"2027-02-01","DueDate":"2027-03-01",
                  "Reference":"W100-2027-02","LineAmountTypes":"Exclusive","Status":"AUTHORISED",
                  "LineItems":[{"Description":"Course","Quantity":1,"UnitAmount":1000.00,"AccountCode":"200","TaxType":"OUTPUT"}]}]}"""
                .formatted(contactId));
        invoiceId = inv.at("/Invoices/0/InvoiceID").asText();
        userPut(user, "Payments", """
                {"Payments":[{"Invoice":{"InvoiceID":"%s"},"Account":{"Code":"090"},"Amount":250.10,"Date":"2027-02-05"}]}"""
                .formatted(invoiceId));
        String cn = userPut(user, "CreditNotes", """
                {"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"%s"},"Status":"AUTHORISED","Date":"2027-02-06",
                  "LineItems":[{"Description":"Refund","Quantity":1,"UnitAmount":100,"AccountCode":"200","TaxType":"NONE"}]}]}"""
                .formatted(contactId)).at("/CreditNotes/0/CreditNoteID").asText();
        userPut(user, "CreditNotes/" + cn + "/Allocations", """
                {"Allocations":[{"Invoice":{"InvoiceID":"%s"},"Amount":60.00,"Date":"2027-02-06"}]}""".formatted(invoiceId));
        String pre = userPut(user, "BankTransactions", """
                {"BankTransactions":[{"Type":"RECEIVE-PREPAYMENT","Contact":{"ContactID":"%s"},"BankAccount":{"Code":"090"},
                  "LineAmountTypes":"NoTax","LineItems":[{"Description":"Deposit","Quantity":1,"UnitAmount":300,"AccountCode":"200"}]}]}"""
                .formatted(contactId)).at("/BankTransactions/0/PrepaymentID").asText();
        userPut(user, "Prepayments/" + pre + "/Allocations", """
                {"Allocations":[{"Invoice":{"InvoiceID":"%s"},"Amount":100,"Date":"2027-02-07"}]}""".formatted(invoiceId));
        String over = userPut(user, "BankTransactions", """
                {"BankTransactions":[{"Type":"RECEIVE-OVERPAYMENT","Contact":{"ContactID":"%s"},"BankAccount":{"Code":"090"},
                  "LineAmountTypes":"NoTax","LineItems":[{"Description":"Over","UnitAmount":500,"AccountCode":"610"}]}]}"""
                .formatted(contactId)).at("/BankTransactions/0/OverpaymentID").asText();
        userPut(user, "Overpayments/" + over + "/Allocations", """
                {"Allocations":[{"Invoice":{"InvoiceID":"%s"},"Amount":50,"Date":"2027-02-08"}]}""".formatted(invoiceId));
    }

    private static JsonNode userPut(String userToken, String path, String body) throws Exception {
        HttpResponse<String> r = raw.send(HttpRequest.newBuilder(URI.create(sandbox.baseUri() + "/api.xro/2.0/" + path))
                .header("Authorization", "Bearer " + userToken).header("xero-tenant-id", tenantId)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("seed PUT %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /**
     * Every exchange so far validates against Xero's OpenAPI in both directions: the sandbox holds each one it serves to
     * the documents ({@code XeroContract}), so this asks it.
     */
    private static List<XeroContract.Exchange> conforming() {
        List<XeroContract.Exchange> all = proxy.exchanges();
        assertThat(all).as("recorded exchanges").isNotEmpty();
        admin.assertContractKept();
        return all;
    }

    // ------------------------------------------------------------------ operations, both directions

    @Test
    @Order(1)
    void upsertContactsCreatesUpdatesAndReportsPerElementErrors() {
        ContactDraft fresh = new ContactDraft(null, "W101", "Bob Contract", "Bob", "Contract", "bob@example.org",
                Phone.defaultPhone("04 555 0000"), null);
        ContactDraft update = new ContactDraft(contactId, "W100", "Ada Contract", "Ada", "Contract", "ada.new@example.org",
                null, null);
        ContactDraft clash = new ContactDraft(null, "W102", "Bob Contract", null, null, null, null, null);
        List<ContactUpsertResult> results = client.upsertContacts(call, List.of(fresh, update, clash),
                "contacts-" + UUID.randomUUID()).orElseThrow();
        conforming();
        assertThat(results.get(0).accepted()).isTrue();
        assertThat(results.get(0).contact().contactId()).isNotBlank();
        assertThat(results.get(1).contact().emailAddress()).isEqualTo("ada.new@example.org");
        assertThat(results.get(2).accepted()).as("a second active 'Bob Contract'").isFalse();
        assertThat(results.get(2).validationErrors()).isNotEmpty();
    }

    @Test
    @Order(2)
    void upsertIsIdempotentPerKey() {
        ContactDraft d = new ContactDraft(null, "W110", "Cy Idem", null, null, null, null, null);
        String key = "idem-" + UUID.randomUUID();
        String first = client.upsertContacts(call, List.of(d), key).orElseThrow().get(0).contact().contactId();
        String again = client.upsertContacts(call, List.of(d), key).orElseThrow().get(0).contact().contactId();
        conforming();
        assertThat(again).isEqualTo(first);
        assertThat(proxy.exchanges()).allSatisfy(ex -> assertThat(ex.requestHeader("Idempotency-Key")).isEqualTo(key));
    }

    @Test
    @Order(3)
    void getContactsByNumberIdsArchivedPagedAndModifiedSince() {
        assertThat(client.getContacts(call, ContactQuery.byContactNumbers(List.of("W100", "W101"))).orElseThrow())
                .extracting(Contact::contactNumber).containsExactlyInAnyOrder("W100", "W101");
        assertThat(client.getContacts(call, ContactQuery.byIds(List.of(contactId))).orElseThrow())
                .singleElement().satisfies(c -> {
                    assertThat(c.name()).isEqualTo("Ada Contract");
                    assertThat(c.updatedDateUtc()).isNotNull();
                });
        client.getContacts(call, ContactQuery.all().withIncludeArchived(true).withPage(1, 100).withSummaryOnly(true)
                .withOrder("Name ASC")).orElseThrow();
        assertThat(client.getContacts(call, ContactQuery.all().withModifiedSince(Instant.now().plusSeconds(86400 * 365)))
                .orElseThrow()).isEmpty();
        conforming();
    }

    @Test
    @Order(4)
    void getInvoicesWithEveryFilter() {
        List<Invoice> invoices = client.getInvoices(call, InvoiceQuery.byIds(List.of(invoiceId))).orElseThrow();
        assertThat(invoices).singleElement().satisfies(inv -> {
            assertThat(inv.contact().contactId()).isEqualTo(contactId);
            assertThat(inv.date()).isEqualTo(LocalDate.of(2027, 2, 1));
            assertThat(inv.subTotal()).isEqualByComparingTo("1000.00");
            assertThat(inv.total()).isEqualByComparingTo(inv.subTotal().add(inv.totalTax()));
            assertThat(inv.amountPaid()).isEqualByComparingTo("250.10");
            assertThat(inv.amountCredited()).isEqualByComparingTo("210.00");
            assertThat(inv.amountDue()).isEqualByComparingTo(inv.total().subtract(inv.amountPaid()).subtract(inv.amountCredited()));
            assertThat(inv.payments()).hasSize(1);
            assertThat(inv.creditNotes()).hasSize(1);
            assertThat(inv.prepayments()).hasSize(1);
            assertThat(inv.overpayments()).hasSize(1);
        });
        client.getInvoices(call, InvoiceQuery.all().withContactIds(List.of(contactId)).withStatuses(List.of("AUTHORISED", "PAID"))
                .withWhere(Where.dateRange("Date", LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 1)))
                .withPage(1, 1000).withModifiedSince(Instant.parse("2000-01-01T00:00:00Z")).withOrder("UpdatedDateUTC ASC"))
                .orElseThrow();
        conforming();
    }

    @Test
    @Order(5)
    void invoicePdfStreams() throws Exception {
        try (PdfDocument pdf = client.getInvoicePdf(call, invoiceId).orElseThrow(); InputStream in = pdf.body()) {
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        }
        conforming();
    }

    @Test
    @Order(6)
    void paymentsCreditNotesPrepaymentsOverpayments() {
        TransactionQuery q = TransactionQuery.all().withPage(1, 100).withModifiedSince(Instant.parse("2000-01-01T00:00:00Z"))
                .withOrder("UpdatedDateUTC ASC");
        assertThat(client.getPayments(call, q).orElseThrow()).singleElement()
                .satisfies(p -> assertThat(p.invoice().invoiceId()).isEqualTo(invoiceId));
        assertThat(client.getCreditNotes(call, q.withWhere("Type==\"ACCRECCREDIT\"")).orElseThrow()).singleElement()
                .satisfies(c -> assertThat(c.allocations()).singleElement()
                        .satisfies(a -> assertThat(a.amount()).isEqualByComparingTo("60.00")));
        assertThat(client.getPrepayments(call, q).orElseThrow()).singleElement()
                .satisfies(p -> assertThat(p.remainingCredit()).isEqualByComparingTo("200.00"));
        assertThat(client.getOverpayments(call, q).orElseThrow()).singleElement()
                .satisfies(o -> assertThat(o.remainingCredit()).isEqualByComparingTo("450.00"));
        conforming();
    }

    @Test
    @Order(7)
    void pagesWalkContacts() {
        XeroPages<Contact> pages = XeroPages.of(2, (p, size) -> client.getContacts(call, ContactQuery.all().withPage(p, size)));
        List<Contact> all = pages.collect(20).orElseThrow();
        assertThat(pages.hasNext()).isFalse();
        assertThat(all).extracting(Contact::contactNumber).contains("W100", "W101", "W110");
        conforming();
    }

    @Test
    @Order(8)
    void connectionsAndTokenRefresh() throws Exception {
        List<Connection> connections = client.connections(tokens.accessToken(), null).orElseThrow();
        assertThat(connections).extracting(Connection::tenantId).contains(tenantId);
        String authEventId = connections.get(0).authEventId();
        assertThat(client.connections(tokens.accessToken(), authEventId).orElseThrow()).isNotEmpty();
        conforming();

        proxy.clear();
        TokenSet refreshed = client.refresh(APP, tokens.refreshToken()).orElseThrow();
        assertThat(refreshed.refreshToken()).isNotEqualTo(tokens.refreshToken());
        assertThat(refreshed.expiresAt()).isAfter(Instant.now().plusSeconds(1700));
        conforming(); // the refresh form (RefreshToken) and the answer (AccessToken), as the sandbox checked them
        tokens = refreshed;
        call = new XeroCall(tenantId, refreshed.accessToken());
    }

    // ------------------------------------------------------------------ error outcomes

    @Test
    @Order(20)
    void validationExceptionWithXerosMessages() {
        // The client always asks for per-element errors; summarizeErrors=true makes the sandbox answer 400.
        proxy.rewriteQuery(q -> q.replace("summarizeErrors=false", "summarizeErrors=true"));
        ContactDraft clash = new ContactDraft(null, "W120", "Ada Contract", null, null, null, null, null);
        XeroResult<List<ContactUpsertResult>> r = client.upsertContacts(call, List.of(clash), "v-" + UUID.randomUUID());
        assertThat(r).isInstanceOfSatisfying(XeroResult.ValidationFailed.class,
                v -> assertThat(v.messages()).singleElement().asString().contains("Ada Contract"));
        assertThat(proxy.last().status()).isEqualTo(400);
        conforming();
    }

    @Test
    @Order(21)
    void unauthorizedWhenTheTokenIsWrong() {
        XeroResult<List<Contact>> r = client.getContacts(new XeroCall(tenantId, "not-a-token"), ContactQuery.all());
        assertThat(r).isInstanceOf(XeroResult.Unauthorized.class);
        assertThat(r.toString()).doesNotContain("not-a-token");
        assertThat(client.connections("not-a-token", null)).isInstanceOf(XeroResult.Unauthorized.class);
    }

    @Test
    @Order(22)
    void forbiddenForATenantNotConnected() {
        assertThat(client.getInvoices(new XeroCall(otherTenantId, tokens.accessToken()), InvoiceQuery.all()))
                .isInstanceOf(XeroResult.Forbidden.class);
    }

    @Test
    @Order(23)
    void notFound() {
        assertThat(client.getInvoicePdf(call, UUID.randomUUID().toString())).isInstanceOf(XeroResult.NotFound.class);
    }

    @Test
    @Order(24)
    void rateLimitedWithProblemAndRetryAfter() {
        admin.setFaults(Map.of("rateLimitProblem", "minute", "rateLimitCount", 1));
        XeroResult<List<Contact>> r = client.getContacts(call, ContactQuery.all());
        assertThat(r).isInstanceOfSatisfying(XeroResult.RateLimited.class, rl -> {
            assertThat(rl.problem()).isEqualTo("minute");
            assertThat(rl.retryAfter()).isNotNull().isPositive();
        });
        admin.setFaults(Map.of("rateLimitProblem", "concurrent", "rateLimitCount", 1));
        assertThat(client.getInvoices(call, InvoiceQuery.all())).isInstanceOfSatisfying(XeroResult.RateLimited.class,
                rl -> assertThat(rl.problem()).isEqualTo("concurrent"));
    }

    @Test
    @Order(25)
    void serverErrorsAreTransient() {
        admin.setFaults(Map.of("errorRate", 1.0));
        assertThat(client.getPayments(call, TransactionQuery.all())).isInstanceOf(XeroResult.Transient.class);
        assertThat(client.upsertContacts(call, List.of(new ContactDraft(null, "W130", "Eve", null, null, null, null, null)),
                "t-" + UUID.randomUUID())).isInstanceOf(XeroResult.Transient.class);
    }

    @Test
    @Order(26)
    void rateHeadersOnEveryResponse() {
        XeroResult<List<Contact>> r = client.getContacts(call, ContactQuery.all());
        assertThat(r).isInstanceOfSatisfying(XeroResult.Ok.class, ok -> {
            assertThat(ok.rate().minuteRemaining()).isNotNull();
            assertThat(ok.rate().dayRemaining()).isNotNull();
            assertThat(ok.rate().appMinuteRemaining()).isNotNull();
        });
    }

    @Test
    @Order(27)
    void invalidGrantForAnUnknownRefreshToken() {
        assertThat(client.refresh(APP, "no-such-refresh-token")).isInstanceOfSatisfying(XeroResult.IdentityError.class,
                e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    // ------------------------------------------------------------------ disconnecting (last: they end the grant)

    @Test
    @Order(90)
    void deleteConnectionThenForbidden() {
        String connectionId = client.connections(tokens.accessToken(), null).orElseThrow().stream()
                .filter(c -> c.tenantId().equals(tenantId)).findFirst().orElseThrow().id();
        proxy.clear();
        assertThat(client.deleteConnection(tokens.accessToken(), connectionId).isOk()).isTrue();
        conforming();
        assertThat(client.getContacts(call, ContactQuery.all())).isInstanceOfSatisfying(XeroResult.class,
                r -> assertThat(r).isInstanceOfAny(XeroResult.Forbidden.class, XeroResult.Unauthorized.class));
    }

    @Test
    @Order(91)
    void revokeEndsTheRefreshToken() {
        assertThat(client.revoke(APP, tokens.refreshToken()).isOk()).isTrue();
        assertThat(client.refresh(APP, tokens.refreshToken())).isInstanceOf(XeroResult.IdentityError.class);
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
