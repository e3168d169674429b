package io.crosslink.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.events.ConnectionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The status page (issue #15) in a real headless browser: Debian's chromium ({@value #CHROMIUM}, installed by
 * {@code .ci/run}) driven by Playwright. team-a pastes its token, requests a connection through the page's form and
 * watches it reach VERIFIED on the live stream, without a reload and without the page reading the list again; the
 * timeline shows every step; the Disconnect button takes it to DISCONNECTED the same way. team-b's page does not list
 * it. Screenshots: {@code target/status-page/}.
 */
@Order(27)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** As root, without the machine's network: no sandbox, no GPU, and none of Chromium's own connections. */
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage");
    private static final String ALIAS = "e2e-page";
    /** Long enough for any saga of the suite (E2eStack.TIMINGS: deadline 90 s); an await, not a measured limit. */
    private static final LocatorAssertions.HasAttributeOptions SAGA = new LocatorAssertions.HasAttributeOptions()
            .setTimeout(120_000);
    private static final Path SHOTS = Path.of("target", "status-page");

    private Playwright playwright;
    private Browser browser;
    private E2eStack stack;
    private ConnectService connect;
    private String id;

    @BeforeAll
    void chromium(E2eStack stack) throws Exception {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: apt-get install -y chromium (.ci/run does)");
        this.stack = stack;
        connect = new ConnectService(stack.connectUrl());
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(CHROMIUM_ARGS));
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    @Order(1)
    void aConnectionRequestedThroughTheFormReachesVerifiedLive() {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))) {
            Page page = context.newPage();
            page.navigate(stack.connectUrl() + "/");
            assertThat(page.locator("#live")).hasText("offline");
            useToken(page, "team-a");

            // From here on the page may only follow the stream: no navigation, no second read of the list.
            List<String> navigations = new CopyOnWriteArrayList<>();
            List<String> listReads = new CopyOnWriteArrayList<>();
            page.onFrameNavigated(frame -> navigations.add(frame.url()));
            page.onRequest(request -> {
                if (request.method().equals("GET") && request.url().contains("/api/v1/connections?")) {
                    listReads.add(request.url());
                }
            });
            page.evaluate("window.__sameDocument = true");

            page.fill("#req-alias", ALIAS);
            page.selectOption("#req-model", "api_key");
            page.selectOption("#req-local-env", "ece");
            page.fill("#req-local-id", E2eStack.LOCAL_ID);
            page.selectOption("#req-remote-env", "ess");
            page.fill("#req-remote-id", E2eStack.REMOTE_ID);
            page.fill("#req-indices", "demo-*");
            page.click("#req-submit");
            assertThat(page.locator("#req-result")).containsText("accepted");

            Locator row = page.locator("#connections tbody tr[data-alias='" + ALIAS + "']");
            assertThat(row).hasCount(1);
            id = row.getAttribute("data-id");
            assertThat(row).hasAttribute("data-status", "VERIFIED", SAGA);
            assertThat(page.locator("#details-status")).hasText("VERIFIED");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("verified.png")).setFullPage(true));

            assertEquals(List.of(), navigations, "the page was not reloaded");
            assertEquals(Boolean.TRUE, page.evaluate("window.__sameDocument === true"), "the same document");
            assertEquals(List.of(), listReads, "every change came on the stream");
            // The timeline is the document's, step by step (the API's answer as the one to compare with).
            JsonNode document = connect.as(stack.tokens().token("team-a")).document(id);
            assertEquals("VERIFIED", document.path("status").asText());
            List<String> steps = page.locator("#timeline tbody tr td:nth-child(2)").allTextContents();
            List<String> expected = new ArrayList<>();
            document.path("timeline").forEach(entry -> expected.add(entry.path("step").asText()));
            assertEquals(expected, steps, "the timeline on the page");
        }
    }

    @Test
    @Order(2)
    void anotherTeamsPageDoesNotListIt() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(stack.connectUrl() + "/");
            useToken(page, "team-b");
            assertThat(page.locator("#connections tbody tr[data-id='" + id + "']")).hasCount(0);
            for (String team : page.locator("#connections tbody tr td:nth-child(6)").allTextContents()) {
                assertEquals("team-b", team, "team-b's page lists only team-b's connections");
            }
        }
    }

    @Test
    @Order(3)
    void theDisconnectButtonTakesItToDisconnectedLive() {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))) {
            Page page = context.newPage();
            page.navigate(stack.connectUrl() + "/");
            useToken(page, "team-a");
            page.fill("#filter-alias", ALIAS);
            page.locator("#filter-alias").blur(); // the change event: the page follows the filtered list and stream
            assertThat(page.locator("body")).hasAttribute("data-listed", "1");
            Locator row = page.locator("#connections tbody tr[data-id='" + id + "']");
            assertThat(row).hasAttribute("data-status", "VERIFIED");
            page.onDialog(dialog -> dialog.accept());
            row.locator("button.disconnect").click();
            assertThat(row).hasAttribute("data-status", "DISCONNECTED", SAGA);
            row.click();
            assertThat(page.locator("#details-status")).hasText("DISCONNECTED");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("disconnected.png")).setFullPage(true));
            connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        }
    }

    /** Pastes the team's token and waits for the live stream and the list its ready event reads. */
    private void useToken(Page page, String caller) {
        page.fill("#token", stack.tokens().token(caller));
        page.click("#token-use");
        assertThat(page.locator("#live")).hasText("live");
        assertThat(page.locator("body")).hasAttribute("data-listed", Pattern.compile("\\d+"));
        assertThat(page.locator("#who")).containsText(caller);
    }
}
