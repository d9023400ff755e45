package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.adapter.xero.XeroFixtures.CONTACT_ID;
import static org.lrm.xero.adapter.xero.XeroFixtures.CREDIT_NOTES;
import static org.lrm.xero.adapter.xero.XeroFixtures.CREDIT_NOTE_ID;
import static org.lrm.xero.adapter.xero.XeroFixtures.INVOICES;
import static org.lrm.xero.adapter.xero.XeroFixtures.INVOICE_ID;
import static org.lrm.xero.adapter.xero.XeroFixtures.PAYMENTS;
import static org.lrm.xero.adapter.xero.XeroFixtures.TENANT;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
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
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.InMemoryRateBudget;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.xero.AccessTokens;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ContactResult;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.app.xero.InvoicePdf;
import org.lrm.xero.app.xero.ListSelection;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.app.xero.XeroPage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.ContactDetails;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.domain.rate.WaitReason;

/**
 * The Xero ports over a canned Xero: how each request becomes calls (ids per call, pages, filters),
 * how Xero's answers become the app's records, and that every call goes through the gateway
 * (a place in the budget taken and given back, the token renewed once on 401, 403 and 429).
 */
class XeroPortsTest {

    private static final String ORG = "org-1";
    private static final XeroTenant XERO_TENANT = new XeroTenant(ORG, TENANT);

    private static CannedXero xero;
    private static XeroClient client;

    private final InMemoryRateBudget budget = new InMemoryRateBudget();
    private final Tokens tokens = new Tokens();
    private final List<Remaining> seen = new ArrayList<>();
    private XeroGateway gateway;
    private XeroApiLedger ledger;
    private XeroApiContacts contacts;
    private XeroApiPdfs pdfs;

    /** Access tokens as the token use case hands them out: a new one after a 401. */
    private static final class Tokens implements AccessTokens {
        int issued = 1;
        final List<String> lost = new ArrayList<>();
        final List<XeroScopes.Need> missing = new ArrayList<>();

        @Override
        public String accessToken(String orgId) {
            return "token-" + issued;
        }

        @Override
        public String renewAfterUnauthorized(String orgId, String rejectedAccessToken) {
            issued++;
            return "token-" + issued;
        }

        @Override
        public void connectionLost(String orgId, String reason) {
            lost.add(reason);
        }

        @Override
        public void scopeMissing(String orgId, XeroScopes.Need need, String reason) {
            missing.add(need);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        xero = new CannedXero();
        client = new XeroClient(HttpClient.newHttpClient(), XeroEndpoints.single(xero.baseUri()), new ObjectMapper(),
                Duration.ofSeconds(5), Clock.fixed(Instant.parse("2027-03-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        xero.close();
    }

    @BeforeEach
    void ports() {
        xero.clear();
        xero.answerJson(200, "{}");
        gateway = new XeroGateway(budget, tokens, (orgId, tenantId, remaining, at) -> seen.add(remaining),
                Clock.systemUTC());
        ledger = new XeroApiLedger(client, gateway);
        contacts = new XeroApiContacts(client, gateway);
        pdfs = new XeroApiPdfs(client, gateway);
    }

    private static CannedXero.Response json(String body) {
        return CannedXero.Response.json(200, body).with("X-MinLimit-Remaining", "58").with("X-DayLimit-Remaining", "4990");
    }

    private static String param(CannedXero.Request request, String name) {
        for (String pair : request.query() == null ? new String[0] : request.query().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String payments(int count) {
        List<String> elements = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> elements.add("{\"PaymentID\":\"" + UUID.randomUUID()
                + "\",\"Amount\":1,\"UpdatedDateUTC\":\"/Date(" + (1700000000000L + i) + "+0000)/\","
                + "\"Invoice\":{\"InvoiceID\":\"inv-" + i + "\"}}"));
        return "{\"Payments\":[" + String.join(",", elements) + "]}";
    }

    // ------------------------------------------------------------------ the ledger

    @Test
    void invoicesByIdGoFiftyToACallEachHandedOnAsXeroInvoicesThroughTheBudget() {
        xero.answer(json(INVOICES));
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 120).forEach(i -> ids.add("inv-" + i));
        List<List<XeroInvoice>> handed = new ArrayList<>();

        ledger.invoicesByIds(XERO_TENANT, Priority.INTERACTIVE, ids, handed::add);

        assertThat(xero.requests()).extracting(r -> param(r, "IDs").split(",").length).containsExactly(50, 50, 20);
        assertThat(xero.requests()).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/api.xro/2.0/Invoices");
            assertThat(r.headers()).containsEntry("xero-tenant-id", TENANT).containsEntry("Authorization", "Bearer token-1");
        });
        assertThat(handed).hasSize(3);
        XeroInvoice invoice = handed.get(0).get(0);
        assertThat(invoice.invoiceId()).isEqualTo(INVOICE_ID);
        assertThat(invoice.contactId()).isEqualTo(CONTACT_ID);
        assertThat(invoice.raisedOnContact()).isTrue();
        assertThat(invoice.date()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(invoice.total()).isEqualByComparingTo("115.00");
        assertThat(invoice.payments()).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(new BigDecimal("95.00")));
        assertThat(invoice.creditNotes()).singleElement().satisfies(c -> {
            assertThat(c.number()).isEqualTo("CN-0001");
            assertThat(c.applied()).isEqualByComparingTo("20.00");
        });
        assertThat(budget.granted()).hasSize(3);
        assertThat(budget.released()).extracting(InMemoryRateBudget.Released::remaining)
                .containsOnly(new Remaining(58, 4990, null));
        assertThat(seen).hasSize(3);
    }

    @Test
    void aReSyncPageReadsTheRangesDatesOrWhatChangedSinceInXerosLargestPages() {
        xero.answer(json(INVOICES));

        XeroPage<XeroInvoice> page = ledger.invoicePage(XERO_TENANT, Priority.BULK,
                ListSelection.dated(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31)), 2);
        ledger.invoicePage(XERO_TENANT, Priority.BULK, ListSelection.changedSince(Instant.parse("2027-02-28T01:00:00.900Z")), 1);

        assertThat(page.items()).hasSize(1);
        assertThat(page.more()).isFalse();
        CannedXero.Request dated = xero.requests().get(0);
        assertThat(param(dated, "where")).isEqualTo("Date>=DateTime(2027,01,01) AND Date<DateTime(2027,02,01)");
        assertThat(param(dated, "page")).isEqualTo("2");
        assertThat(param(dated, "pageSize")).isEqualTo("1000");
        CannedXero.Request changed = xero.requests().get(1);
        assertThat(param(changed, "where")).isNull();
        assertThat(changed.headers()).containsEntry("If-Modified-Since", "2027-02-28T01:00:00Z");
    }

    @Test
    void aFullPageSaysThereIsMore() {
        xero.answer(json(payments(1000)));

        XeroPage<TouchedInvoices> page = ledger.transactionPage(XERO_TENANT, Priority.BULK, TransactionList.PAYMENTS,
                ListSelection.dated(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31)), 1);

        assertThat(page.more()).isTrue();
        assertThat(page.items()).hasSize(1000);
        assertThat(xero.requests()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/api.xro/2.0/Payments"));
    }

    @Test
    void eachTransactionIsReadAsTheInvoicesItTouches() {
        xero.answer(json(PAYMENTS));
        List<TouchedInvoices> payments = ledger.changedSince(XERO_TENANT, Priority.BULK, TransactionList.PAYMENTS, null);
        xero.answer(json(CREDIT_NOTES));
        List<TouchedInvoices> credits = ledger.changedSince(XERO_TENANT, Priority.BULK, TransactionList.CREDIT_NOTES, null);
        xero.answer(json(INVOICES));
        List<TouchedInvoices> invoices = ledger.changedSince(XERO_TENANT, Priority.BULK, TransactionList.INVOICES, null);

        assertThat(payments).singleElement().satisfies(t -> {
            assertThat(t.invoiceIds()).containsExactly(INVOICE_ID);
            assertThat(t.updatedAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        });
        assertThat(credits).singleElement().satisfies(t -> assertThat(t.invoiceIds()).containsExactly(INVOICE_ID));
        assertThat(invoices).singleElement().satisfies(t -> assertThat(t.invoiceIds()).containsExactly(INVOICE_ID));
        assertThat(xero.requests()).extracting(CannedXero.Request::path).containsExactly("/api.xro/2.0/Payments",
                "/api.xro/2.0/CreditNotes", "/api.xro/2.0/Invoices");
        assertThat(xero.requests()).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("If-Modified-Since"));
    }

    @Test
    void whatChangedIsReadPageByPageUntilAShortPage() {
        xero.answerInTurn(json(payments(100)), json(payments(100)));
        xero.answer(json(payments(7)));

        List<TouchedInvoices> changed = ledger.changedSince(XERO_TENANT, Priority.BULK, TransactionList.PAYMENTS,
                Instant.parse("2027-02-01T00:00:00Z"));

        assertThat(changed).hasSize(207);
        assertThat(xero.requests()).extracting(r -> param(r, "page")).containsExactly("1", "2", "3");
        assertThat(xero.requests()).allSatisfy(r -> {
            assertThat(param(r, "pageSize")).isEqualTo("100");
            assertThat(r.headers()).containsEntry("If-Modified-Since", "2027-02-01T00:00:00Z");
        });
    }

    @Test
    void aContactsInvoicesAreReadByContactIdToTheLastPage() {
        xero.answer(json(INVOICES));

        assertThat(ledger.invoicesOfContact(XERO_TENANT, Priority.BULK, CONTACT_ID)).hasSize(1);

        assertThat(xero.requests()).singleElement().satisfies(r -> {
            assertThat(param(r, "ContactIDs")).isEqualTo(CONTACT_ID);
            assertThat(param(r, "page")).isEqualTo("1");
        });
    }

    @Test
    void creditNotesAreFoundByGuidInPagedFiltersXeroTakesAndWhatIsNotAGuidIsNeverSent() {
        xero.answer(json(CREDIT_NOTES));
        List<String> ids = new ArrayList<>(Collections.nCopies(1, "x\") OR Name==(\"y"));
        IntStream.range(0, 30).forEach(i -> ids.add(UUID.randomUUID().toString()));
        ids.add(CREDIT_NOTE_ID);

        assertThat(ledger.invoicesCredited(XERO_TENANT, Priority.INTERACTIVE, ids)).containsExactly(INVOICE_ID);

        assertThat(xero.requests()).hasSize(2);
        assertThat(param(xero.requests().get(0), "where")).startsWith("CreditNoteID==Guid(\"").doesNotContain("Name==");
        assertThat(xero.requests()).allSatisfy(r -> {
            assertThat(r.rawQuery().length()).isLessThanOrEqualTo(FilterChunks.MAX_QUERY_LENGTH);
            // Xero leaves a credit note's allocations out of an unpaged list.
            assertThat(param(r, "page")).isEqualTo("1");
        });
        assertThat(xero.requests().stream().mapToInt(r -> param(r, "where").split(" OR ").length).sum()).isEqualTo(31);
    }

    /**
     * Xero's front door answers a query string over 2,048 characters with a 404 (which reads as "not there"):
     * however many values a read is given, every request the ports send stays within it, each value is asked
     * for once, and contacts are read paged (the only way Xero shows MergedToContactID).
     */
    @Test
    void noReadByManyValuesSendsAQueryXeroWouldRefuse() {
        List<String> guids = IntStream.range(0, 1_000).mapToObj(i -> UUID.randomUUID().toString()).toList();
        List<String> refs = IntStream.range(0, 500).mapToObj(i -> "REF-" + String.format("%06d", i) + "-X").toList();

        xero.answer(json("{\"Contacts\":[]}"));
        contacts.withIds(XERO_TENANT, Priority.BULK, guids);
        List<CannedXero.Request> byIds = xero.requests();
        xero.clear();
        contacts.withNumbers(XERO_TENANT, Priority.BULK, refs);
        List<CannedXero.Request> byNumbers = xero.requests();
        xero.clear();
        xero.answer(json("{\"Invoices\":[]}"));
        ledger.invoicesByIds(XERO_TENANT, Priority.BULK, guids, page -> { });
        List<CannedXero.Request> invoices = xero.requests();
        xero.clear();
        xero.answer(json("{\"CreditNotes\":[]}"));
        ledger.invoicesCredited(XERO_TENANT, Priority.BULK, guids);
        List<CannedXero.Request> credits = xero.requests();

        for (List<CannedXero.Request> requests : List.of(byIds, byNumbers, invoices, credits)) {
            assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.rawQuery().length())
                    .as("%s?%s", r.path(), r.rawQuery()).isLessThanOrEqualTo(FilterChunks.MAX_QUERY_LENGTH));
        }
        assertThat(byIds.stream().flatMap(r -> List.of(param(r, "IDs").split(",")).stream()).toList())
                .containsExactlyElementsOf(guids);
        assertThat(invoices.stream().flatMap(r -> List.of(param(r, "IDs").split(",")).stream()).toList())
                .containsExactlyElementsOf(guids);
        assertThat(byNumbers.stream().mapToInt(r -> param(r, "where").split(" OR ").length).sum()).isEqualTo(500);
        assertThat(credits.stream().mapToInt(r -> param(r, "where").split(" OR ").length).sum()).isEqualTo(1_000);
        assertThat(byIds).hasSize(20).allSatisfy(r -> {
            assertThat(param(r, "page")).isEqualTo("1");
            assertThat(param(r, "includeArchived")).isEqualTo("true");
        });
        assertThat(byNumbers).allSatisfy(r -> assertThat(param(r, "page")).isEqualTo("1"));
    }

    @Test
    void theClientNeverSendsAQueryLongerThanXerosFrontDoorTakes() {
        List<String> guids = IntStream.range(0, 53).mapToObj(i -> UUID.randomUUID().toString()).toList();

        assertThatThrownBy(() -> client.getContacts(new XeroCall(TENANT, "token-1"), ContactQuery.byIds(guids)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
        assertThat(xero.requests()).isEmpty();
    }

    // ------------------------------------------------------------------ contacts

    @Test
    void contactsAreSentAsXeroDraftsAndRefusalsReadAsTypedReasonsWithXerosWords() {
        String answer = """
                {"Contacts":[
                  {"ContactID":"%s","ContactNumber":"W1","ContactStatus":"ACTIVE","Name":"Ana Lopez W1"},
                  {"ContactNumber":"W2","Name":"Ben Kim W2","HasValidationErrors":true,"ValidationErrors":[
                    {"Message":"The contact name Ben Kim W2 is already assigned to another contact. The contact name must be unique across all active contacts."}]},
                  {"ContactNumber":"W3","Name":"Cara Ng W3","HasValidationErrors":true,"ValidationErrors":[
                    {"Message":"Email address must be valid."}]}]}""".formatted(CONTACT_ID);
        xero.answer(json(answer));
        Address address = new Address("1 Main St", "Perth", "WA", "6000", "AU");
        List<ContactWrite> writes = List.of(
                new ContactWrite(null, new ContactDetails("Ana Lopez W1", "W1", "Ana", "Lopez", "ana@example.org", "0400", address)),
                new ContactWrite(null, new ContactDetails("Ben Kim W2", "W2", "Ben", "Kim", null, null, null)),
                new ContactWrite(null, new ContactDetails("Cara Ng W3", "W3", "Cara", "Ng", "not-an-email", null, null)));

        List<ContactResult> results = contacts.save(XERO_TENANT, Priority.BULK, writes, "lrm-contacts-1");

        assertThat(results.get(0)).isInstanceOfSatisfying(ContactResult.Saved.class,
                s -> assertThat(s.contact().contactId()).isEqualTo(CONTACT_ID));
        assertThat(results.get(1)).isInstanceOfSatisfying(ContactResult.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ContactResult.Reason.NAME_TAKEN);
            assertThat(r.xeroText()).startsWith("The contact name Ben Kim W2 is already assigned");
        });
        assertThat(results.get(2)).isInstanceOfSatisfying(ContactResult.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(ContactResult.Reason.OTHER));
        assertThat(xero.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.query()).isEqualTo("summarizeErrors=false");
            assertThat(r.headers()).containsEntry("Idempotency-Key", "lrm-contacts-1");
        });
    }

    @Test
    void archivedContactsAreReadWithXerosStatusFilterArchivedIncluded() {
        xero.answer(json("""
                {"Contacts":[{"ContactID":"%s","Name":"Ana Lopez W1","ContactStatus":"ARCHIVED",
                  "MergedToContactID":"survivor-1","UpdatedDateUTC":"/Date(1700000000000+0000)/"}]}""".formatted(CONTACT_ID)));

        XeroPage<org.lrm.xero.app.xero.XeroContact> page = contacts.archivedSince(XERO_TENANT, Priority.BULK,
                Instant.parse("2027-02-28T01:00:00Z"), 1);

        assertThat(page.items()).singleElement().satisfies(c -> {
            assertThat(c.archived()).isTrue();
            assertThat(c.mergedInto()).isEqualTo("survivor-1");
            assertThat(c.updatedAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        });
        CannedXero.Request r = xero.requests().get(0);
        assertThat(param(r, "where")).isEqualTo("ContactStatus==\"ARCHIVED\"");
        assertThat(param(r, "includeArchived")).isEqualTo("true");
        assertThat(param(r, "pageSize")).isEqualTo("1000");
        assertThat(r.headers()).containsEntry("If-Modified-Since", "2027-02-28T01:00:00Z");
    }

    // ------------------------------------------------------------------ PDFs

    @Test
    void aPdfIsStreamedAndAnInvoiceXeroDoesNotHaveIsEmpty() throws IOException {
        xero.answer(new CannedXero.Response(200, Map.of("Content-Type", "application/pdf"),
                "%PDF-1.7".getBytes(StandardCharsets.UTF_8)));
        try (InvoicePdf pdf = pdfs.invoicePdf(XERO_TENANT, Priority.INTERACTIVE, INVOICE_ID).orElseThrow()) {
            assertThat(new String(pdf.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("%PDF-1.7");
        }
        xero.answerJson(404, "{\"Title\":\"Not Found\"}");
        assertThat(pdfs.invoicePdf(XERO_TENANT, Priority.INTERACTIVE, INVOICE_ID)).isEmpty();
        xero.answerJson(503, "{}");
        assertThatThrownBy(() -> pdfs.invoicePdf(XERO_TENANT, Priority.INTERACTIVE, INVOICE_ID))
                .isInstanceOfSatisfying(XeroCallFailed.class, e -> assertThat(e.permanent()).isFalse());
        xero.answerJson(400, """
                {"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
                 "Elements":[{"ValidationErrors":[{"Message":"Refused"}]}]}""");
        assertThatThrownBy(() -> pdfs.invoicePdf(XERO_TENANT, Priority.INTERACTIVE, INVOICE_ID))
                .as("a refusal for good, as for every call").isInstanceOfSatisfying(XeroCallFailed.class,
                        e -> assertThat(e.permanent()).isTrue());
    }

    // ------------------------------------------------------------------ the gateway

    @Test
    void a401RenewsTheTokenOnceAndTheCallIsMadeAgain() {
        xero.answerInTurn(CannedXero.Response.json(401, "{\"Title\":\"Unauthorized\",\"Detail\":\"TokenExpired\"}"));
        xero.answer(json(INVOICES));

        assertThat(ledger.invoicesOfContact(XERO_TENANT, Priority.BULK, CONTACT_ID)).hasSize(1);

        assertThat(xero.requests()).extracting(r -> r.headers().get("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(budget.released()).hasSize(2);
    }

    @Test
    void aContactMergedInXeroIsReadWithItsSurvivorFromAPage() {
        xero.answer(json("""
                {"Contacts":[{"ContactID":"%s","Name":"Ana Lopez W1","ContactStatus":"ARCHIVED",
                  "MergedToContactID":"survivor-1"}]}""".formatted(CONTACT_ID)));

        assertThat(contacts.withIds(XERO_TENANT, Priority.BULK, List.of(CONTACT_ID))).singleElement()
                .satisfies(c -> assertThat(c.mergedInto()).isEqualTo("survivor-1"));

        assertThat(xero.requests()).singleElement().satisfies(r -> {
            assertThat(param(r, "IDs")).isEqualTo(CONTACT_ID);
            assertThat(param(r, "page")).isEqualTo("1");
            assertThat(param(r, "pageSize")).isEqualTo(String.valueOf(XeroApiContacts.PAGE_SIZE));
        });
    }

    @Test
    void a403MeansTheConnectionIsLost() {
        xero.answerJson(403, "{\"Title\":\"Forbidden\",\"Detail\":\"AuthenticationUnsuccessful\"}");

        assertThatThrownBy(() -> contacts.withIds(XERO_TENANT, Priority.BULK, List.of(CONTACT_ID)))
                .isInstanceOf(ConnectionUnavailable.class).hasMessageContaining("NEEDS_RECONNECT");
        assertThat(tokens.lost).singleElement().asString().contains("GET Contacts by IDs");
    }

    @Test
    void a403ForAMissingScopeSaysWhichAndLeavesTheConnectionAlone() {
        xero.answerJson(403, "{\"Type\":null,\"Title\":\"Forbidden\",\"Status\":403,\"Detail\":\"AuthorizationUnsuccessful\"}");

        assertThatThrownBy(() -> ledger.changedSince(XERO_TENANT, Priority.BULK, TransactionList.PREPAYMENTS, null))
                .isInstanceOfSatisfying(ScopeMissing.class, e -> assertThat(e.need()).isEqualTo(XeroScopes.Need.PAYMENTS));
        assertThatThrownBy(() -> pdfs.invoicePdf(XERO_TENANT, Priority.INTERACTIVE, INVOICE_ID))
                .isInstanceOfSatisfying(ScopeMissing.class, e -> assertThat(e.need()).isEqualTo(XeroScopes.Need.INVOICES));
        assertThatThrownBy(() -> contacts.withIds(XERO_TENANT, Priority.BULK, List.of(CONTACT_ID)))
                .isInstanceOfSatisfying(ScopeMissing.class, e -> assertThat(e.need()).isEqualTo(XeroScopes.Need.CONTACTS));

        assertThat(tokens.missing).containsExactly(XeroScopes.Need.PAYMENTS, XeroScopes.Need.INVOICES, XeroScopes.Need.CONTACTS);
        assertThat(tokens.lost).isEmpty();
        assertThat(budget.released()).hasSize(3);
    }

    @Test
    void a429IsAWaitTheBudgetIsToldOf() {
        xero.answer(CannedXero.Response.json(429, "").with("X-Rate-Limit-Problem", "minute").with("Retry-After", "37"));

        assertThatThrownBy(() -> ledger.invoicePage(XERO_TENANT, Priority.BULK, ListSelection.changedSince(Instant.EPOCH), 1))
                .isInstanceOfSatisfying(WaitForBudget.class, w -> {
                    assertThat(w.duration()).isEqualTo(Duration.ofSeconds(37));
                    assertThat(w.reason()).isEqualTo(WaitReason.MINUTE);
                });
        assertThat(budget.rateLimited()).containsExactly("minute");
        assertThat(budget.released()).hasSize(1);
    }

    @Test
    void noBudgetMeansNoRequestAndXerosRefusalIsPermanent() {
        budget.waitNext(Duration.ofMinutes(3), WaitReason.DAY);
        assertThatThrownBy(() -> contacts.withNumbers(XERO_TENANT, Priority.BULK, List.of("W1")))
                .isInstanceOf(WaitForBudget.class);
        assertThat(xero.requests()).isEmpty();

        xero.answerJson(400, "{\"Message\":\"A validation exception occurred\"}");
        assertThatThrownBy(() -> contacts.withNumbers(XERO_TENANT, Priority.BULK, List.of("W1")))
                .isInstanceOfSatisfying(XeroCallFailed.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains("A validation exception occurred");
                });
        assertThat(param(xero.requests().get(0), "where")).isEqualTo("ContactNumber==\"W1\"");
    }
}
