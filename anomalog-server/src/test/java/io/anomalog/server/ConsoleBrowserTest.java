package io.anomalog.server;

import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.demo.Demo;
import io.anomalog.stream.feedback.AnomalyHistory;
import io.anomalog.stream.feedback.FeedbackDesk;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.topology.AnomalyRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser: Debian's headless Chromium driven through its chromedriver by Selenium. Skips,
 * naming the packages, where they are not installed. Screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String TOKEN = "browser-test-token-0123456789";

    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed: install the Debian packages 'chromium' and 'chromium-driver' "
                        + "(.ci/run does) to run the browser tests");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    @Timeout(120)
    void aLogLineHoldingMarkupIsShownAsTextAndNeverRuns() throws Exception {
        String evil = "081109 203518 INFO dfs.DataNode: <script>window.pwned = 1</script>"
                + "<img src=x onerror=\"window.pwned = 2\"> blk_7";
        AnomalyHistory history = new AnomalyHistory();
        AnomalyRecord a = Fixtures.anomaly("node-<b>1</b>", "blk_<i>7</i>", 5, Instant.now(), "a normal line", evil);
        history.add(a);
        List<FeedbackRecord> written = new ArrayList<>();
        try (ConsoleServer server = ConsoleServer.builder(history, ApiToken.given(TOKEN))
                .feedback(new FeedbackDesk(history, written::add)).start()) {
            browser.get(server.url());
            WebElement row = waiting(30).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#anomalies tbody tr[data-id='" + a.id() + "']")));
            assertEquals("node-<b>1</b>", row.findElements(By.tagName("td")).get(1).getText());
            row.click();
            WebElement line = waiting(30).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#d-lines li:nth-child(2)")));
            assertEquals(evil, line.getText());
            assertEquals(0, browser.findElements(By.cssSelector("#d-lines script, #d-lines img, #anomalies b")).size());
            assertEquals("node-<b>1</b> / blk_<i>7</i>", browser.findElement(By.id("d-title")).getText());
            Object pwned = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.pwned;");
            assertNull(pwned, "no script from a log line ran");
            screenshot("escaped-log-line");
        }
        assertTrue(written.isEmpty());
    }

    @Test
    @Timeout(120)
    void aDeepLogAnomalysPageShowsItsWorkflowPictureWithoutRunningItsTemplatesAndSaysWhenThereIsNone(
            @TempDir Path work) throws Exception {
        Path model = Fixtures.deepLogModel(work.resolve("model"));
        // the explanation as DeepLog with workflows writes it: the key model's failed prediction and the divergence
        Map<String, Object> keyModel = Map.of("anomalousEvents", 1, "judgedEvents", 2, "topG", 9, "events",
                List.of(Map.of("position", 2, "observedKey", 7, "observedProbability", 0.001, "observedRank", 12,
                        "expected", List.of(Map.of("key", 2, "probability", 0.99)))));
        Object diagnosis = Json.MAPPER.convertValue(io.anomalog.ml.deeplog.workflow.Diagnosis.of(Fixtures.LINE,
                new int[]{1, 7}, -1), Map.class);
        AnomalyRecord drawn = Fixtures.record("blk_w1", 900, "deeplog", "v1", new int[]{1, 7},
                Map.of("model", keyModel, "workflow", diagnosis), Map.of(7, "<img src=x onerror=\"window.pwned = 2\">"));
        AnomalyRecord none = Fixtures.record("blk_w2", 910, "deeplog", "v2", new int[]{1, 7}, null, null);
        AnomalyHistory history = new AnomalyHistory();
        history.add(drawn);
        history.add(none);
        try (ConsoleServer server = ConsoleServer.builder(history, ApiToken.given(TOKEN)).models(model).start()) {
            browser.get(server.url() + "#/anomaly/" + drawn.id());
            WebElement img = waiting(30).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#d-workflow img.workflow")));
            waiting(30).until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "const i = document.querySelector('#d-workflow img.workflow'); return i.complete ? i.naturalWidth : 0;"))
                    .intValue() > 0);
            assertTrue(img.isDisplayed());
            String explained = browser.findElement(By.id("d-explanation")).getText();
            assertTrue(explained.contains("1 of 2 predictions failed"), explained);
            assertTrue(explained.contains("left workflow 1 at event 2: after key 1 came key 7; expected 2"), explained);
            assertEquals("divergence", browser.findElement(By.cssSelector("#d-lines li:nth-child(2)")).getAttribute("class"));
            assertTrue(browser.findElement(By.id("d-workflow-box")).isDisplayed());
            Object pwned = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.pwned;");
            assertNull(pwned, "no script from a template in the picture ran");
            screenshot("workflow-picture");

            browser.get(server.url() + "#/anomaly/" + none.id());
            browser.navigate().refresh();
            waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("d-workflow"),
                    "no workflow picture: model version v2 has no workflows"));
            assertEquals(0, browser.findElements(By.cssSelector("#d-workflow img")).size());
            assertEquals(2, browser.findElements(By.cssSelector("#d-lines li")).size(), "the rest of the page is shown");
            screenshot("workflow-picture-none");
        }
    }

    @Test
    @Timeout(300)
    void aRunningDemosConsoleShowsAnomaliesArriveAndAFalsePositiveReachesTheFeedbackTopic(@TempDir Path work)
            throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.method = "ngram";
        s.duration = Duration.ofSeconds(90);
        s.linesPerSecondPerHost = 200;
        s.anomalyRate = 0.25;
        s.grouping = io.anomalog.core.session.GroupingSpec.Sessions.byPattern("blk_-?\\d+")
                .withGap(Duration.ofMillis(1500));
        s.trainingSessions = 300;
        s.workDir = work;
        s.seed = 5;
        s.quiet = true;
        AtomicReference<KafkaConnection> cluster = new AtomicReference<>();
        Demo.ConsoleStarter starter = LiveConsole.forDemo(HttpAddress.parse("127.0.0.1:0"), TOKEN, null,
                said -> { });
        s.console = (kafka, metrics, modelDir, group, dir) -> {
            cluster.set(kafka);
            return starter.start(kafka, metrics, modelDir, group, dir);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Demo demo = new Demo(s, new PrintStream(out, true, StandardCharsets.UTF_8), io.anomalog.core.util.Progress.NONE);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                demo.run();
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "demo");
        runner.setDaemon(true);
        runner.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (demo.consoleUrl() == null && failed.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertNull(failed.get());
            String url = demo.consoleUrl();
            assertNotNull(url, "the demo started its console\n" + out.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("console: " + url), "the demo prints its address");

            browser.get(url);
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.cssSelector("#token-form button")).click();
            // anomalies arrive while the page is open, pushed by server-sent events
            waiting(120).until(d -> d.findElements(By.cssSelector("#anomalies tbody tr.fresh")).size() >= 2);
            screenshot("demo-live-list");
            WebElement row = browser.findElement(By.cssSelector("#anomalies tbody tr.fresh"));
            String id = row.getAttribute("data-id");
            // while the pointer rests on the list, arrivals wait behind a notice instead of pushing the row away
            new Actions(browser).moveToElement(row).perform();
            org.openqa.selenium.Point before = row.getLocation();
            String place = row.getDomProperty("sectionRowIndex");
            waiting(60).until(ExpectedConditions.visibilityOfElementLocated(By.id("held")));
            assertTrue(browser.findElement(By.id("held")).getText().matches("\\d+ new anomal(y|ies): show"),
                    browser.findElement(By.id("held")).getText());
            assertEquals(before, row.getLocation(), "the row under the pointer did not move");
            assertEquals(place, row.getDomProperty("sectionRowIndex"), "nothing was inserted above it");
            screenshot("demo-held-arrivals");
            row.click();
            waiting(30).until(ExpectedConditions.elementToBeClickable(By.id("fp")));
            waiting(30).until(d -> !d.findElements(By.cssSelector("#d-lines li")).isEmpty());
            screenshot("demo-anomaly");
            browser.findElement(By.id("note")).sendKeys("seen in the browser test");
            browser.findElement(By.id("fp")).click();
            waiting(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("d-verdict"),
                    "marked false-positive"));
            screenshot("demo-false-positive");

            FeedbackRecord onTopic = readFeedback(cluster.get(), id);
            assertNotNull(onTopic, "the verdict is on " + Topics.FEEDBACK);
            assertEquals("false-positive", onTopic.verdict().text());
            assertEquals("seen in the browser test", onTopic.note());
            assertEquals("console", onTopic.who());
            assertTrue(onTopic.lines().size() > 0);
        } finally {
            demo.requestStop();
            demo.awaitFinished(Duration.ofSeconds(60));
        }
    }

    private static FeedbackRecord readFeedback(KafkaConnection kafka, String anomalyId) throws Exception {
        try (var c = new KafkaConsumer<>(kafka.properties(Map.of("auto.offset.reset", "earliest",
                "enable.auto.commit", "false", "group.id", "console-browser-test")), new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(Topics.FEEDBACK));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (anomalyId.equals(r.key())) {
                        return Json.MAPPER.readValue(r.value(), FeedbackRecord.class);
                    }
                }
            }
        }
        return null;
    }
}
