package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.adapter.xero.XeroFixtures.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.openapi.XeroContract;

/**
 * The client against a canned Xero behind the recording proxy: every request it builds is checked
 * against Xero's OpenAPI, and every outcome is mapped from what Xero documents it sends.
 */
class XeroClientTest {

    private static final String ACCESS_TOKEN = "eyJhbGciOi.secret-access-token";
    private static final XeroCall CALL = new XeroCall(TENANT, ACCESS_TOKEN);
    private static final Instant NOW = Instant.parse("2027-02-01T10:00:00Z");

    private static CannedXero xero;
    private static RecordingProxy proxy;
    private static XeroClient client;
    private static final XeroContract CONTRACT = XeroContract.load();

    @BeforeAll
    static void start() throws Exception {
        xero = new CannedXero();
        proxy = RecordingProxy.to(xero.baseUri());
        client = new XeroClient(HttpClient.newHttpClient(), XeroEndpoints.single(proxy.baseUri()), new ObjectMapper(),
                Duration.ofSeconds(2), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        xero.close();
    }

    @BeforeEach
    void reset() {
        proxy.clear();
        xero.delay(0);
    }

    private static XeroContract.Exchange conforming() {
        XeroContract.Exchange ex = proxy.last();
        assertThat(CONTRACT.check(ex)).as("request and canned response %s against Xero's OpenAPI", ex).isEmpty();
        return ex;
    }

    private static void accountingHeaders(XeroContract.Exchange ex) {
        assertThat(ex.requestHeader("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN);
        assertThat(ex.requestHeader("xero-tenant-id")).isEqualTo(TENANT);
        assertThat(ex.requestHeader("Accept")).isEqualTo("application/json");
    }

    private static ContactDraft draft(String number) {
        return new ContactDraft(null, number, "Ada Lovelace " + number, "Ada", "Lovelace", "ada@example.org",
                Phone.mobile("021 555 1212"), Address.postal("1 Main St", null, "Wellington", null, "6011", "NZ"));
    }

    // ------------------------------------------------------------------ requests as the spec has them

    @Test
    void upsertContactsPostsSummarizeErrorsFalseWithIdempotencyKey() {
        xero.answer(CannedXero.Response.json(200, CONTACTS).with("X-MinLimit-Remaining", "59")
                .with("X-DayLimit-Remaining", "4999").with("X-AppMinLimit-Remaining", "9999"));
        XeroResult<List<ContactUpsertResult>> r = client.upsertContacts(CALL, List.of(draft("W1")), "lrm-contacts-42");
        XeroContract.Exchange ex = conforming();
        accountingHeaders(ex);
        assertThat(ex.method()).isEqualTo("POST");
        assertThat(ex.path()).isEqualTo("/api.xro/2.0/Contacts");
        assertThat(ex.rawQuery()).isEqualTo("summarizeErrors=false");
        assertThat(ex.requestHeader("Idempotency-Key")).isEqualTo("lrm-contacts-42");
        assertThat(ex.requestText()).contains("\"Contacts\":[{\"ContactNumber\":\"W1\"").contains("\"Phones\":[{")
                .contains("\"AddressType\":\"POBOX\"").doesNotContain("null");
        XeroResult.Ok<List<ContactUpsertResult>> ok = (XeroResult.Ok<List<ContactUpsertResult>>) r;
        assertThat(ok.rate()).isEqualTo(new RateHeaders(59, 4999, 9999));
        assertThat(ok.value()).singleElement().satisfies(u -> {
            assertThat(u.accepted()).isTrue();
            assertThat(u.contact().contactId()).isEqualTo(CONTACT_ID);
            assertThat(u.contact().updatedDateUtc()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        });
    }

    @Test
    void upsertContactsReportsEachElementsValidationErrors() {
        xero.answerJson(200, """
                {"Contacts":[{"ContactID":"00000000-0000-0000-0000-000000000000","Name":"Ada Lovelace W1",
                  "HasValidationErrors":true,"ValidationErrors":[{"Message":"The contact name Ada Lovelace W1 is already assigned to another contact. The contact name must be unique across all active contacts."}]},
                 {"ContactID":"%s","Name":"Ada Lovelace W2","ContactStatus":"ACTIVE","HasValidationErrors":false}]}"""
                .formatted(CONTACT_ID));
        List<ContactUpsertResult> results = client.upsertContacts(CALL, List.of(draft("W1"), draft("W2")), "k").orElseThrow();
        conforming();
        assertThat(results.get(0).accepted()).isFalse();
        assertThat(results.get(0).validationErrors()).singleElement().asString().contains("already assigned");
        assertThat(results.get(0).sent().contactNumber()).isEqualTo("W1");
        assertThat(results.get(1).accepted()).isTrue();
    }

    @Test
    void upsertRejectsOversizedBatchesBeforeSending() {
        List<ContactDraft> many = IntStream.range(0, 51).mapToObj(i -> draft("W" + i)).toList();
        assertThatThrownBy(() -> client.upsertContacts(CALL, many, "k")).isInstanceOf(IllegalArgumentException.class);
        String huge = "x".repeat(80_000);
        List<ContactDraft> big = IntStream.range(0, 50)
                .mapToObj(i -> new ContactDraft(null, "W" + i, huge, null, null, null, null, null)).toList();
        assertThatThrownBy(() -> client.upsertContacts(CALL, big, "k")).hasMessageContaining("3.5 MB");
        assertThatThrownBy(() -> client.upsertContacts(CALL, List.of(draft("W1")), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.upsertContacts(CALL, List.of(draft("W1")), "k".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(proxy.exchanges()).isEmpty();
    }

    @Test
    void getContactsSendsEveryFilter() {
        xero.answerJson(200, CONTACTS);
        ContactQuery q = ContactQuery.byContactNumbers(List.of("W1", "W2")).withIncludeArchived(true).withPage(2, 100)
                .withSummaryOnly(true).withModifiedSince(Instant.parse("2027-01-31T23:59:59.900Z")).withOrder("Name ASC");
        List<Contact> contacts = client.getContacts(CALL, q).orElseThrow();
        XeroContract.Exchange ex = conforming();
        accountingHeaders(ex);
        Map<String, List<String>> query = RecordingProxy.query(ex.rawQuery());
        assertThat(query.get("where")).containsExactly("ContactNumber==\"W1\" OR ContactNumber==\"W2\"");
        assertThat(query).containsEntry("includeArchived", List.of("true")).containsEntry("page", List.of("2"))
                .containsEntry("pageSize", List.of("100")).containsEntry("summaryOnly", List.of("true"))
                .containsEntry("order", List.of("Name ASC"));
        assertThat(ex.rawQuery()).doesNotContain("+");
        assertThat(ex.requestHeader("If-Modified-Since")).isEqualTo("2027-01-31T23:59:59Z");
        assertThat(contacts).singleElement().satisfies(c -> {
            assertThat(c.contactNumber()).isEqualTo("W1");
            assertThat(c.phones()).extracting(Phone::phoneNumber).containsExactly("021 555 1212");
            assertThat(c.addresses()).extracting(Address::city).containsExactly("Wellington");
        });
    }

    @Test
    void getContactsByIds() {
        xero.answerJson(200, CONTACTS);
        client.getContacts(CALL, ContactQuery.byIds(List.of(CONTACT_ID, INVOICE_ID))).orElseThrow();
        XeroContract.Exchange ex = conforming();
        assertThat(RecordingProxy.query(ex.rawQuery()).get("IDs")).containsExactly(CONTACT_ID + "," + INVOICE_ID);
        assertThat(ex.requestHeader("If-Modified-Since")).isNull();
    }

    @Test
    void getInvoicesSendsEveryFilterAndReadsMoney() {
        xero.answerJson(200, INVOICES);
        InvoiceQuery q = InvoiceQuery.byIds(List.of(INVOICE_ID)).withContactIds(List.of(CONTACT_ID))
                .withStatuses(List.of("AUTHORISED", "PAID"))
                .withWhere(Where.dateRange("Date", LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 1)))
                .withPage(1, 1000).withModifiedSince(NOW).withOrder("UpdatedDateUTC ASC");
        List<Invoice> invoices = client.getInvoices(CALL, q).orElseThrow();
        XeroContract.Exchange ex = conforming();
        accountingHeaders(ex);
        Map<String, List<String>> query = RecordingProxy.query(ex.rawQuery());
        assertThat(query.get("where")).containsExactly("Date>=DateTime(2027,02,01) AND Date<DateTime(2027,03,01)");
        assertThat(query.get("Statuses")).containsExactly("AUTHORISED,PAID");
        assertThat(query.get("ContactIDs")).containsExactly(CONTACT_ID);
        Invoice inv = invoices.get(0);
        assertThat(inv.total()).isEqualByComparingTo("115.00");
        assertThat(inv.amountCredited()).isEqualByComparingTo("20.00");
        assertThat(inv.date()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(inv.contact().contactNumber()).isEqualTo("W1");
        assertThat(inv.payments()).extracting(Payment::amount).containsExactly(new java.math.BigDecimal("95.00"));
        assertThat(inv.total().scale()).as("amounts keep Xero's scale").isEqualTo(2);
        assertThat(inv.creditNotes()).extracting(CreditNote::creditNoteNumber).containsExactly("CN-0001");
    }

    @Test
    void pageSizeOverXerosMaximumIsRefused() {
        assertThatThrownBy(() -> InvoiceQuery.all().withPage(1, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Where.contactNumberIn(List.of("a\"b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paymentsCreditNotesPrepaymentsOverpayments() {
        TransactionQuery q = TransactionQuery.all().withWhere("Status==\"AUTHORISED\"").withPage(1, 100)
                .withModifiedSince(NOW).withOrder("UpdatedDateUTC ASC");
        xero.answerJson(200, PAYMENTS);
        assertThat(client.getPayments(CALL, q).orElseThrow()).singleElement()
                .satisfies(p -> assertThat(p.invoice().invoiceId()).isEqualTo(INVOICE_ID));
        accountingHeaders(conforming());
        xero.answerJson(200, CREDIT_NOTES);
        assertThat(client.getCreditNotes(CALL, q).orElseThrow()).singleElement()
                .satisfies(c -> assertThat(c.allocations()).singleElement()
                        .satisfies(a -> assertThat(a.invoice().invoiceId()).isEqualTo(INVOICE_ID)));
        conforming();
        xero.answerJson(200, PREPAYMENTS);
        assertThat(client.getPrepayments(CALL, q).orElseThrow()).singleElement()
                .satisfies(p -> assertThat(p.remainingCredit()).isEqualByComparingTo("30"));
        conforming();
        xero.answerJson(200, OVERPAYMENTS);
        assertThat(client.getOverpayments(CALL, q).orElseThrow()).singleElement()
                .satisfies(o -> assertThat(o.type()).isEqualTo("RECEIVE-OVERPAYMENT"));
        conforming();
    }

    @Test
    void invoicePdfIsStreamed() throws Exception {
        byte[] pdf = "%PDF-1.4\n%fake\n".getBytes(StandardCharsets.US_ASCII);
        xero.answer(new CannedXero.Response(200, Map.of("Content-Type", "application/pdf"), pdf));
        XeroResult<PdfDocument> r = client.getInvoicePdf(CALL, INVOICE_ID);
        try (PdfDocument doc = r.orElseThrow(); InputStream in = doc.body()) {
            assertThat(in.readAllBytes()).isEqualTo(pdf);
            assertThat(doc.contentLength()).hasValue(pdf.length);
        }
        XeroContract.Exchange ex = conforming();
        assertThat(ex.path()).isEqualTo("/api.xro/2.0/Invoices/" + INVOICE_ID);
        assertThat(ex.requestHeader("Accept")).isEqualTo("application/pdf");
        assertThat(ex.requestHeader("xero-tenant-id")).isEqualTo(TENANT);
    }

    @Test
    void invoicePdfThatIsNotAPdf() {
        xero.answerJson(200, INVOICES);
        assertThat(client.getInvoicePdf(CALL, INVOICE_ID)).isInstanceOfSatisfying(XeroResult.UnexpectedResponse.class,
                u -> assertThat(u.endpoint()).contains("/Invoices/{InvoiceID}"));
        xero.answerJson(404, "{\"Title\":\"NotFound\"}");
        assertThat(client.getInvoicePdf(CALL, INVOICE_ID)).isInstanceOf(XeroResult.NotFound.class);
    }

    @Test
    void connectionsAndDisconnect() {
        xero.answerJson(200, CONNECTIONS);
        List<Connection> cs = client.connections(ACCESS_TOKEN, "d99ecdfe-391d-43d2-b834-17636ba90e8d").orElseThrow();
        XeroContract.Exchange ex = conforming();
        assertThat(ex.rawQuery()).isEqualTo("authEventId=d99ecdfe-391d-43d2-b834-17636ba90e8d");
        assertThat(ex.requestHeader("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN);
        assertThat(cs).singleElement().satisfies(c -> {
            assertThat(c.tenantId()).isEqualTo(TENANT);
            assertThat(c.createdDateUtc()).isEqualTo(Instant.parse("2019-12-07T18:46:19.51654Z"));
        });
        xero.answer(new CannedXero.Response(204, Map.of(), new byte[0]));
        assertThat(client.deleteConnection(ACCESS_TOKEN, "7cb59f93-2964-421d-bb5e-a0f7a4572a44").isOk()).isTrue();
        conforming();
    }

    // ------------------------------------------------------------------ identity

    @Test
    void authorizeUrlCarriesPkceS256() {
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        String challenge = XeroClient.codeChallengeS256(verifier);
        assertThat(challenge).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"); // RFC 7636 appendix B
        URI uri = new XeroClient(HttpClient.newHttpClient(), XeroEndpoints.production(), new ObjectMapper(),
                Duration.ofSeconds(1)).authorizeUrl("CLIENT", URI.create("https://lrm.example/cb"),
                        List.of("openid", "offline_access", "accounting.contacts"), "st4te", challenge);
        assertThat(uri.getHost()).isEqualTo("login.xero.com");
        assertThat(uri.getPath()).isEqualTo("/identity/connect/authorize");
        Map<String, List<String>> q = RecordingProxy.query(uri.getRawQuery());
        assertThat(q).containsEntry("response_type", List.of("code")).containsEntry("client_id", List.of("CLIENT"))
                .containsEntry("redirect_uri", List.of("https://lrm.example/cb"))
                .containsEntry("scope", List.of("openid offline_access accounting.contacts"))
                .containsEntry("state", List.of("st4te")).containsEntry("code_challenge", List.of(challenge))
                .containsEntry("code_challenge_method", List.of("S256"));
        assertThat(XeroClient.newCodeVerifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void exchangeCodeAndRefreshReadTokens() {
        xero.answerJson(200, """
                {"id_token":"id.tok","access_token":"acc.tok","expires_in":1800,"token_type":"Bearer",
                 "refresh_token":"ref.tok","scope":"openid offline_access accounting.contacts"}""");
        AppCredentials app = new AppCredentials("CLIENT", "s3cret");
        TokenSet t = client.exchangeCode(app, "the-code", URI.create("https://lrm.example/cb"), "verifier").orElseThrow();
        assertThat(t.accessToken()).isEqualTo("acc.tok");
        assertThat(t.refreshToken()).isEqualTo("ref.tok");
        assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(1800));
        assertThat(t.scopes()).containsExactlyInAnyOrder("openid", "offline_access", "accounting.contacts");
        assertThat(t.toString()).doesNotContain("acc.tok", "ref.tok", "id.tok");
        XeroContract.Exchange ex = proxy.last();
        assertThat(ex.path()).isEqualTo("/connect/token");
        assertThat(ex.requestHeader("Authorization")).isEqualTo("Basic Q0xJRU5UOnMzY3JldA==");
        assertThat(RecordingProxy.query(ex.requestText())).containsEntry("grant_type", List.of("authorization_code"))
                .containsEntry("code", List.of("the-code")).containsEntry("code_verifier", List.of("verifier"))
                .containsEntry("redirect_uri", List.of("https://lrm.example/cb"));
        assertThat(CONTRACT.check(ex)).as("token exchange against Xero's identity schemas").isEmpty();

        client.refresh(app, "ref.tok").orElseThrow();
        assertThat(RecordingProxy.query(proxy.last().requestText())).containsEntry("grant_type", List.of("refresh_token"))
                .containsEntry("refresh_token", List.of("ref.tok"));
    }

    @Test
    void publicClientSendsClientIdInTheForm() {
        xero.answerJson(200, "{\"access_token\":\"a\",\"expires_in\":1800,\"token_type\":\"Bearer\",\"refresh_token\":\"r\"}");
        client.refresh(new AppCredentials("CLIENT", null), "r").orElseThrow();
        assertThat(proxy.last().requestHeader("Authorization")).isNull();
        assertThat(RecordingProxy.query(proxy.last().requestText())).containsEntry("client_id", List.of("CLIENT"));
    }

    @Test
    void identityErrors() {
        xero.answerJson(400, "{\"error\":\"invalid_grant\"}");
        assertThat(client.refresh(new AppCredentials("CLIENT", "s"), "old"))
                .isEqualTo(new XeroResult.IdentityError<>("invalid_grant", null));
        xero.answerJson(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
        assertThat(client.exchangeCode(new AppCredentials("CLIENT", "s"), "c", URI.create("https://x/cb"), null))
                .isEqualTo(new XeroResult.IdentityError<>("invalid_client", "bad secret"));
        xero.answerJson(200, "{\"token_type\":\"Bearer\",\"refresh_token\":\"leaky-refresh\"}");
        XeroResult<TokenSet> r = client.refresh(new AppCredentials("CLIENT", "s"), "old");
        assertThat(r).isInstanceOf(XeroResult.UnexpectedResponse.class);
        assertThat(r.toString()).doesNotContain("leaky-refresh");
        xero.answer(new CannedXero.Response(200, Map.of(), new byte[0]));
        assertThat(client.revoke(new AppCredentials("CLIENT", "s"), "old").isOk()).isTrue();
        assertThat(RecordingProxy.query(proxy.last().requestText())).containsEntry("token", List.of("old"));
        assertThat(proxy.last().path()).isEqualTo("/connect/revocation");
    }

    // ------------------------------------------------------------------ outcomes

    @Test
    void validationExceptionKeepsXerosMessages() {
        xero.answerJson(400, VALIDATION_ERROR);
        XeroResult<List<ContactUpsertResult>> r = client.upsertContacts(CALL, List.of(draft("W1")), "k");
        assertThat(r).isInstanceOfSatisfying(XeroResult.ValidationFailed.class, v -> assertThat(v.messages())
                .containsExactly("The contact name Ada Lovelace is already assigned to another contact. The contact name must be unique across all active contacts."));
        conforming();
        xero.answerJson(400, "{\"ErrorNumber\":16,\"Type\":\"QueryParseException\",\"Message\":\"No property or field 'Foo' exists\"}");
        assertThat(client.getInvoices(CALL, InvoiceQuery.all().withWhere("Foo==1")))
                .isEqualTo(new XeroResult.ValidationFailed<>(List.of("No property or field 'Foo' exists"), RateHeaders.NONE));
    }

    @Test
    void authFailures() {
        xero.answerJson(401, UNAUTHORIZED);
        XeroResult<List<Contact>> r = client.getContacts(CALL, ContactQuery.all());
        assertThat(r).isInstanceOfSatisfying(XeroResult.Unauthorized.class,
                u -> assertThat(u.detail()).startsWith("TokenExpired"));
        xero.answerJson(403, FORBIDDEN);
        assertThat(client.getInvoices(CALL, InvoiceQuery.all()))
                .isEqualTo(new XeroResult.Forbidden<>("GET /api.xro/2.0/Invoices", "AuthenticationUnsuccessful"));
        xero.answerJson(404, "{}");
        assertThat(client.getPayments(CALL, TransactionQuery.all()))
                .isEqualTo(new XeroResult.NotFound<>("GET /api.xro/2.0/Payments"));
    }

    @Test
    void rateLimitsNameTheProblemAndRetryAfter() {
        xero.answer(CannedXero.Response.json(429, "").with("X-Rate-Limit-Problem", "Minute").with("Retry-After", "37")
                .with("X-MinLimit-Remaining", "0").with("X-DayLimit-Remaining", "4000"));
        assertThat(client.getContacts(CALL, ContactQuery.all()))
                .isEqualTo(new XeroResult.RateLimited<>("minute", Duration.ofSeconds(37), new RateHeaders(0, 4000, null)));
        xero.answer(CannedXero.Response.json(429, "").with("X-Rate-Limit-Problem", "concurrent"));
        assertThat(client.getContacts(CALL, ContactQuery.all()))
                .isEqualTo(new XeroResult.RateLimited<>("concurrent", null, RateHeaders.NONE));
    }

    @Test
    void serverErrorsAndTimeoutsAreTransient() {
        xero.answerJson(503, "{\"Title\":\"Service Unavailable\"}");
        assertThat(client.getCreditNotes(CALL, TransactionQuery.all())).isInstanceOf(XeroResult.Transient.class);
        xero.answerJson(500, "oops");
        assertThat(client.getPrepayments(CALL, TransactionQuery.all())).isInstanceOf(XeroResult.Transient.class);
        xero.answerJson(200, OVERPAYMENTS).delay(3000);
        assertThat(client.getOverpayments(CALL, TransactionQuery.all()))
                .isEqualTo(new XeroResult.Transient<>("timed out: GET /api.xro/2.0/Overpayments"));
    }

    @Test
    void connectionRefusedIsTransient() throws Exception {
        XeroClient nowhere;
        try (var s = new java.net.ServerSocket(0)) {
            nowhere = new XeroClient(HttpClient.newHttpClient(),
                    XeroEndpoints.single(URI.create("http://127.0.0.1:" + s.getLocalPort())), new ObjectMapper(),
                    Duration.ofSeconds(1));
        }
        assertThat(nowhere.getContacts(CALL, ContactQuery.all())).isInstanceOf(XeroResult.Transient.class);
    }

    @Test
    void unparseableBodiesNameTheEndpointAndStatus() {
        xero.answerJson(200, "<html>Xero is down for maintenance</html>");
        assertThat(client.getContacts(CALL, ContactQuery.all())).isInstanceOfSatisfying(XeroResult.UnexpectedResponse.class,
                u -> {
                    assertThat(u.endpoint()).isEqualTo("GET /api.xro/2.0/Contacts");
                    assertThat(u.status()).isEqualTo(200);
                });
        xero.answerJson(200, "{\"Invoices\":{}}");
        assertThat(client.getInvoices(CALL, InvoiceQuery.all())).isInstanceOfSatisfying(XeroResult.UnexpectedResponse.class,
                u -> assertThat(u.detail()).contains("Invoices"));
        xero.answerJson(200, "{\"Contacts\":[]}");
        assertThat(client.upsertContacts(CALL, List.of(draft("W1")), "k"))
                .isInstanceOf(XeroResult.UnexpectedResponse.class);
        xero.answerJson(200, "{\"Payments\":[{\"Date\":\"last tuesday\"}]}");
        assertThat(client.getPayments(CALL, TransactionQuery.all())).isInstanceOf(XeroResult.UnexpectedResponse.class);
        xero.answerJson(400, "not json");
        assertThat(client.getPayments(CALL, TransactionQuery.all())).isInstanceOf(XeroResult.UnexpectedResponse.class);
        xero.answerJson(409, "{}");
        assertThat(client.getPayments(CALL, TransactionQuery.all())).isInstanceOf(XeroResult.UnexpectedResponse.class);
    }

    @Test
    void secretsNeverPrint() {
        assertThat(new AppCredentials("id", "the-secret").toString()).doesNotContain("the-secret").contains("id");
        assertThat(CALL.toString()).doesNotContain(ACCESS_TOKEN).contains(TENANT);
        assertThat(new TokenSet("a-tok", "r-tok", NOW, Set.of("openid"), "i-tok").toString())
                .doesNotContain("a-tok", "r-tok", "i-tok");
    }

    // ------------------------------------------------------------------ paging

    @Test
    void pagesWalkUntilAShortPageAndRetryFailures() {
        List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        List<XeroResult<List<String>>> answers = new ArrayList<>(List.of(
                new XeroResult.Ok<>(List.of("a", "b"), RateHeaders.NONE),
                new XeroResult.RateLimited<>("minute", Duration.ofSeconds(5), RateHeaders.NONE),
                new XeroResult.Ok<>(List.of("c", "d"), RateHeaders.NONE),
                new XeroResult.Ok<>(List.of("e"), RateHeaders.NONE)));
        XeroPages<String> pages = XeroPages.of(2, (page, size) -> {
            calls.add(page);
            return answers.remove(0);
        });
        assertThat(pages.next().isOk()).isTrue();
        assertThat(pages.next()).isInstanceOf(XeroResult.RateLimited.class);
        assertThat(pages.nextPage()).isEqualTo(2);
        assertThat(pages.collect(10).orElseThrow()).containsExactly("c", "d", "e");
        assertThat(pages.hasNext()).isFalse();
        assertThat(calls).containsExactly(1, 2, 2, 3);
    }
}
