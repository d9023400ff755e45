package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.RepoPaths;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's Chromium, headless, through its chromedriver) against the
 * local run, as its people use it: an admin connects by clicking through the Xero sandbox's consent
 * page; staff sync a learner and see an invoice finance raised in Xero appear, with its PDF; the
 * learner sees only their own invoices; an admin re-syncs a range and watches it reach DONE; a
 * disconnection made in Xero is shown with guidance and the admin reconnects by keyboard; an
 * operator sees every organisation and replays a dead letter after a dry run. A screenshot of each
 * screen goes to {@code local/target/screenshots/}. Where no browser can run,
 * every step is skipped with the reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DLQ = "lrm-xero-dev-learner-sync-dlq";

    private static LocalRun run;
    private static GatewayClient gateway;
    private static WebDriver browser;
    private static Path profile;
    private static Path screenshots;
    private static String invoiceOfL1;
    private static String invoiceOfL2;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser here: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("console-it-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile);
        try {
            browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build(), options);
        } catch (WebDriverException e) {
            Assumptions.abort("Chromium cannot run here: " + e.getMessage().lines().findFirst().orElse(""));
        }
        run = LocalRun.start(new LocalOptions(0, 0, 0, System.getenv("AWS_ENDPOINT_URL"), false, 0, "console-it"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        gateway = new GatewayClient(run);
        screenshots = RepoPaths.root().resolve("local/target/screenshots");
        Files.createDirectories(screenshots);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void anAdminConnectsByClickingThroughXerosConsentPage() throws IOException {
        signInAs("admin", null);
        WebElement connect = waitFor(By.id("connect"));
        assertThat(text(By.cssSelector(".status-line"))).contains("DISCONNECTED");
        connect.click();

        // Xero's (the sandbox's) consent page: the local organisation ticked, Allow.
        waitUntil(d -> d.getCurrentUrl().startsWith(run.sandboxUri().toString()));
        WebElement allow = waitFor(By.cssSelector("button[name=consent]"));
        List<WebElement> organisations = browser.findElements(By.name("tenant"));
        for (WebElement organisation : organisations) {
            boolean ours = organisation.getAttribute("value").equals(run.localTenantId());
            if (organisation.isSelected() != ours) {
                organisation.click();
            }
        }
        assertThat(organisations).anySatisfy(o -> assertThat(o.isSelected()).isTrue());
        shoot("xero-consent");
        allow.click();

        // Back in the console: connected, the organisation named, a Disconnect button, the budget gauges.
        waitUntil(d -> d.getCurrentUrl().startsWith(run.gatewayUri().toString()));
        // The connect's answer left the browser the cookie that bound the callback to it.
        Cookie binding = browser.manage().getCookieNamed("__Host-xero-connect");
        assertThat(binding).as("the connect cookie in the browser").isNotNull();
        assertThat(binding.isHttpOnly()).isTrue();
        assertThat(binding.isSecure()).isTrue();
        assertThat(binding.getSameSite()).isEqualTo("Lax");
        assertThat(waitFor(By.cssSelector("[data-test=tenant-name]")).getText()).isEqualTo("Local Training Co");
        assertThat(text(By.cssSelector(".status-line"))).contains("CONNECTED");
        assertThat(text(By.id("notice"))).contains("Connected to Xero");
        assertThat(browser.findElements(By.id("disconnect"))).hasSize(1);
        assertThat(browser.findElements(By.xpath("//h2[text()='Connection to Xero']"))).as("the screen once").hasSize(1);
        assertThat(browser.findElements(By.cssSelector("meter"))).hasSize(2);
        assertThat(browser.getCurrentUrl()).doesNotContain("xero=connected");
        JsonNode connection = gateway.expect(200, gateway.send("GET", "/v1/xero/connection",
                run.token(LocalRun.ORG, "staff", null), null));
        assertThat(connection.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(connection.get("tenantId").asText()).isEqualTo(run.localTenantId());
        shoot("admin-connection");
    }

    @Test
    @Order(2)
    void staffSyncALearnerAndSeeAnInvoiceFinanceRaisedInXeroAppearWithItsPdf() throws Exception {
        // The LRM saves two learners (its back end, not the console); their first sync runs by itself.
        String staff = run.token(LocalRun.ORG, "staff", null);
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-1", staff, learner("W100001", "Ana", "Lopez")));
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-2", staff, learner("W100002", "Bo", "Chen")));

        waitUntil(d -> List.of("L-1", "L-2").stream().allMatch(id -> gateway.expect(200, gateway.send("GET",
                "/v1/learners/" + id + "/xero", staff, null)).get("state").asText().equals("SYNCED")));

        signInAs("staff", null);
        waitFor(By.cssSelector("#learner-list a[href='#/learners/L-2']"));
        new Select(browser.findElement(By.id("learner-state"))).selectByValue("SYNCED");
        waitUntil(d -> d.findElements(By.cssSelector("#learner-list a[href^='#/learners/']")).size() == 2
                && text(By.id("learner-list")).contains("Bo Chen (W100002)"));
        shoot("staff-learners");

        // Manual Sync on Ana's page: pushed again, SYNCED.
        browser.findElement(By.cssSelector("#learner-list a[href='#/learners/L-1']")).click();
        waitFor(By.id("manual-sync")).click();
        waitUntil(d -> text(By.id("notice")).contains("Learner synced to Xero"));
        assertThat(text(By.cssSelector("[data-test=sync-state]"))).isEqualTo("SYNCED");

        // Finance raises an invoice on each learner's contact in Xero, and Ana pays part of hers.
        String tenant = run.localTenantId();
        FinanceDesk finance = new FinanceDesk(run.sandboxUri(), run.sandboxAdmin().userToken(tenant), tenant);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String l1 = finance.raiseInvoice(contactOf("L-1"), "Diploma term 1", new BigDecimal("1500.00"), today, today.plusDays(30));
        finance.pay(l1, new BigDecimal("800.00"), today);
        String l2 = finance.raiseInvoice(contactOf("L-2"), "Certificate IV", new BigDecimal("990.00"), today, today.plusDays(30));
        invoiceOfL1 = invoiceNumber(tenant, l1);
        invoiceOfL2 = invoiceNumber(tenant, l2);

        // Xero's webhooks bring it back; staff refresh until it shows, with its payment and, once fetched, its PDF.
        By invoice = By.cssSelector("[data-invoice='" + invoiceOfL1 + "']");
        waitUntil(d -> {
            run.sandboxAdmin().deliverWebhooksNow();
            d.findElement(By.id("refresh-invoices")).click();
            List<WebElement> shown = d.findElements(invoice);
            return !shown.isEmpty() && shown.get(0).getText().contains("Open PDF") && shown.get(0).getText().contains("Payments");
        });
        // The list may be drawn again meanwhile (the Manual Sync's own refresh): each look finds it afresh.
        waitUntil(d -> d.findElement(invoice).getText().contains("Diploma term 1")
                && d.findElement(invoice).getText().contains("AUTHORISED"));
        shoot("staff-learner");

        waitUntil(d -> {
            d.findElement(invoice).findElement(By.cssSelector("button[data-pdf]")).click();
            return true;
        });
        byte[] pdf = pdfOpenedInANewTab();
        assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).startsWith("%PDF-").contains(invoiceOfL1);
        waitUntil(d -> {
            run.sandboxAdmin().deliverWebhooksNow();
            return !gateway.expect(200, gateway.send("GET", "/v1/learners/L-2/invoices", staff, null)).get("invoices").isEmpty();
        });
    }

    @Test
    @Order(3)
    void aLearnerSeesOnlyTheirOwnInvoices() throws IOException {
        Assumptions.assumeTrue(invoiceOfL1 != null, "needs the invoices of the staff step");
        signInAs("learner", "L-1");
        waitFor(By.cssSelector("[data-invoice='" + invoiceOfL1 + "']"));
        List<String> screens = browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
        assertThat(screens).containsExactly("My invoices");
        assertThat(browser.findElements(By.cssSelector("[data-invoice]"))).hasSize(1);
        assertThat(browser.getPageSource()).doesNotContain(invoiceOfL2).doesNotContain("Certificate IV");
        shoot("learner-invoices");

        // Another learner's page is not a screen of the learner's: the console stays on their own invoices.
        browser.get(run.gatewayUri() + "/#/learners/L-2");
        waitFor(By.cssSelector("[data-invoice='" + invoiceOfL1 + "']"));
        assertThat(browser.getPageSource()).doesNotContain(invoiceOfL2);
        // And the API itself refuses the learner anyone else's invoices, whatever a page asks.
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/v1/learners/L-2/invoices', {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('lrm-xero-console.token')}})
                  .then(r => done(r.status));""");
        assertThat(((Number) status).intValue()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void anAdminReSyncsARangeAndWatchesItReachDone() throws IOException {
        Assumptions.assumeTrue(invoiceOfL1 != null, "needs the invoices of the staff step");
        signInAs("admin", null);
        waitFor(By.cssSelector("#nav a[data-route=resync]")).click();
        WebElement start = waitFor(By.id("resync-start"));
        assertThat(browser.findElement(By.cssSelector("label[for=resync-from]")).getText()).isEqualTo("From");
        start.click();

        waitFor(By.cssSelector("#resync-live .job[data-state=DONE]"));
        String checked = text(By.cssSelector("#resync-live [data-test=checked]"));
        String changed = text(By.cssSelector("#resync-live [data-test=changed]"));
        // Both invoices were already current: nothing changed, and the job says what it checked.
        assertThat(changed).startsWith("0 invoice records");
        assertThat(checked).contains("2 invoices", "1 payments", "2 PDFs");
        assertThat(text(By.id("notice"))).contains("done");
        waitFor(By.cssSelector("#resync-history table"));
        assertThat(text(By.cssSelector("#resync-history tbody tr"))).contains("DONE");
        shoot("admin-resync");
    }

    @Test
    @Order(5)
    void aDisconnectionMadeInXeroIsShownWithGuidanceAndReconnectingRestoresIt() throws IOException {
        Assumptions.assumeTrue(invoiceOfL1 != null, "needs the connection and learners of the steps before");
        // Someone removes the app in Xero; the next call to Xero (a Manual Sync) meets Xero's 403.
        run.sandboxAdmin().revokeConnection(run.localTenantId());
        String staff = run.token(LocalRun.ORG, "staff", null);
        gateway.expect(202, gateway.send("POST", "/v1/learners/L-1/sync", staff, null));
        waitUntil(d -> gateway.expect(200, gateway.send("GET", "/v1/xero/connection", staff, null)).get("status").asText()
                .equals("NEEDS_RECONNECT"));

        signInAs("admin", null);
        WebElement reconnect = waitFor(By.id("connect"));
        assertThat(reconnect.getText()).isEqualTo("Reconnect to Xero");
        assertThat(text(By.cssSelector(".status-line"))).contains("NEEDS_RECONNECT");
        assertThat(text(By.cssSelector(".guidance"))).contains("removed or has expired", "Press Reconnect", "Local Training Co");
        assertThat(browser.findElements(By.xpath("//h2[text()='Connection to Xero']"))).as("the screen once").hasSize(1);
        shoot("admin-needs-reconnect");

        // Keyboard only: focus the button, Enter; then Xero's consent again.
        reconnect.sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor(By.cssSelector("button[name=consent]")).click();
        assertThat(waitFor(By.cssSelector("[data-test=tenant-name]")).getText()).isEqualTo("Local Training Co");
        assertThat(text(By.cssSelector(".status-line"))).contains("CONNECTED").doesNotContain("NEEDS_RECONNECT");
    }

    @Test
    @Order(6)
    void anOperatorReplaysADeadLetter() throws IOException {
        Assumptions.assumeTrue(invoiceOfL1 != null, "needs the connection and learners of the steps before");
        signInAs("operator", null);
        // Every organisation's health: the local one, connected, with its Xero organisation's name.
        waitFor(By.cssSelector("#operator-orgs table"));
        assertThat(text(By.id("operator-orgs"))).contains(LocalRun.ORG, "Local Training Co", "CONNECTED");
        assertThat(browser.findElements(By.cssSelector("#nav a"))).extracting(WebElement::getText).containsExactly("Operations");
        shoot("operator");

        // A learner sync dead-lettered: the operator finds it by queue, dry-runs the replay, then replays it.
        String dlq = run.aws().sqs().getQueueUrl(b -> b.queueName(DLQ)).queueUrl();
        new SqsLearnerSyncQueue(new SqsQueue(run.aws().sqs()), dlq).enqueue(LocalRun.ORG, List.of("L-1"), Priority.INTERACTIVE,
                true, null);
        new Select(browser.findElement(By.id("dl-queue"))).selectByValue("learner-sync");
        browser.findElement(By.id("dl-search")).click();
        waitUntil(d -> text(By.id("operator-dead-letters")).contains("1 dead letters"));
        // SQS moved it itself (no reason recorded); it is a sync of L-1.
        assertThat(text(By.id("operator-dead-letters"))).contains("none recorded", "learner-sync of L-1");
        browser.findElement(By.id("dl-dry-run")).click();
        waitUntil(d -> text(By.id("operator-replay")).contains("Dry run: 1 messages"));
        shoot("operator-dry-run");
        String staff = run.token(LocalRun.ORG, "staff", null);
        int logged = logbookOfL1(staff).size();
        browser.findElement(By.id("dl-replay")).click();
        browser.switchTo().alert().accept();
        waitUntil(d -> text(By.id("operator-replay")).contains("Replayed 1 of 1"));
        waitUntil(d -> text(By.id("operator-dead-letters")).contains("0 dead letters"));
        assertThat(browser.findElement(By.id("dl-replay")).isEnabled()).as("another replay needs another dry run").isFalse();
        shoot("operator-replayed");
        // The replayed sync runs again as if new: L-1 is pushed to Xero again, its logbook says so.
        waitUntil(d -> {
            List<String> kinds = logbookOfL1(staff);
            return kinds.subList(0, kinds.size() - logged).contains("CONTACT_UPDATED");
        });
    }

    // ---------------------------------------------------------------- the browser

    /** The local run's picker: a fresh start of the console, a role, the gateway mints its token. */
    private static void signInAs(String role, String learnerId) {
        browser.get(run.gatewayUri() + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(run.gatewayUri() + "/");
        if (learnerId != null) {
            WebElement id = waitFor(By.id("pick-learner"));
            id.clear();
            id.sendKeys(learnerId);
        }
        waitFor(By.cssSelector("button[data-role=" + role + "]")).click();
        waitUntil(d -> d.findElement(By.id("who")).getText().contains("(" + role));
        waitUntil(d -> d.findElements(By.cssSelector("#main .panel")).size() > 0 && d.findElement(By.id("working")).getAttribute("hidden") != null);
    }

    private static WebElement waitFor(By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
    }

    private static String text(By what) {
        return browser.findElement(what).getText();
    }

    private static void shoot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** The PDF button opens the short-lived link in a tab of its own: that link, read here, is the PDF. */
    private static byte[] pdfOpenedInANewTab() throws Exception {
        String console = browser.getWindowHandle();
        waitUntil(d -> d.getWindowHandles().size() == 2);
        Set<String> handles = browser.getWindowHandles();
        String tab = handles.stream().filter(h -> !h.equals(console)).findFirst().orElseThrow();
        browser.switchTo().window(tab);
        waitUntil(d -> d.getCurrentUrl().contains("X-Amz-Signature"));
        URI link = URI.create(browser.getCurrentUrl());
        browser.close();
        browser.switchTo().window(console);
        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        return pdf.body();
    }

    // ---------------------------------------------------------------- the LRM and Xero

    private static String learner(String ref, String firstName, String lastName) {
        return "{\"refInternal\":\"" + ref + "\",\"firstName\":\"" + firstName + "\",\"lastName\":\"" + lastName + "\","
                + "\"email\":\"" + ref.toLowerCase() + "@example.org\",\"syncToXero\":true}";
    }

    /** The kinds of L-1's logbook entries, newest first. */
    private static List<String> logbookOfL1(String staff) {
        return gateway.expect(200, gateway.send("GET", "/v1/learners/L-1/logbook", staff, null)).get("entries")
                .findValuesAsText("kind");
    }

    private static String contactOf(String learnerId) {
        return gateway.expect(200, gateway.send("GET", "/v1/learners/" + learnerId + "/xero",
                run.token(LocalRun.ORG, "staff", null), null)).get("contactId").asText();
    }

    private static String invoiceNumber(String tenant, String invoiceId) {
        List<String> numbers = new ArrayList<>();
        for (JsonNode i : run.sandboxAdmin().state(tenant).get("Invoices")) {
            if (i.get("InvoiceID").asText().equals(invoiceId)) {
                numbers.add(i.get("InvoiceNumber").asText());
            }
        }
        assertThat(numbers).hasSize(1);
        return numbers.get(0);
    }
}
