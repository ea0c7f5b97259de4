package io.anomalog.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.io.Json;
import io.anomalog.ml.deeplog.workflow.Diagnosis;
import io.anomalog.stream.feedback.AnomalyHistory;
import io.anomalog.stream.feedback.FeedbackDesk;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.topology.AnomalyRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleApiTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:30Z");

    @TempDir
    Path dir;

    private final AnomalyHistory history = new AnomalyHistory();
    private final List<FeedbackRecord> written = new CopyOnWriteArrayList<>();
    private final StreamMetrics metrics = new StreamMetrics();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConsoleServer server;
    private AnomalyRecord a1;
    private AnomalyRecord a2;
    private AnomalyRecord a3;
    private Path model;

    @BeforeEach
    void start() throws Exception {
        a1 = Fixtures.anomaly("node-1", "blk_1", 10, T0, "line one", "line two");
        a2 = Fixtures.anomaly("node-2", "blk_2", 20, T0.plusSeconds(60), "other");
        a3 = Fixtures.anomaly("node-1", "blk_3", 30, T0.plusSeconds(120), "third");
        history.add(a1);
        history.add(a2);
        history.add(a3);
        metrics.recordsIn.add(1234);
        metrics.deadLetters.add(2); // of no host's topic
        for (int i = 0; i < 3; i++) {
            metrics.deadLetter("node-2");
        }
        metrics.openSessions("0_0", 7, Map.of("node-1", 5L, "node-2", 2L));
        metrics.modelVersionSupplier(() -> "v1");
        model = dir.resolve("model");
        manifest().write(model);
        ModelRegistry.of(model).add("v1", "ngram", List.of(a1.id()), "online update: 1 false positive", null,
                d -> manifest().write(d), false, "test");
        server = ConsoleServer.builder(history, ApiToken.given(TOKEN)).feedback(new FeedbackDesk(history, written::add))
                .metrics(metrics).models(model).hosts(() -> Map.of("node-1", new HostStats.Sample(500, 3)))
                .pushMillis(50).start();
    }

    private static ModelManifest manifest() {
        return ModelManifest.create("ngram", 1, Map.of(), null, null, Map.of(), Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void theListIsNewestFirstAndFiltersByHostTimeAndVerdictInPages() throws Exception {
        JsonNode all = json(get("/api/anomalies"));
        assertEquals(3, all.get("total").asInt());
        assertEquals(a3.id(), all.get("items").get(0).get("id").asText());
        assertEquals("node-1", all.get("items").get(0).get("host").asText());
        assertEquals(1, all.get("items").get(0).get("lines").asInt());

        JsonNode host = json(get("/api/anomalies?host=node-1"));
        assertEquals(2, host.get("total").asInt());
        JsonNode time = json(get("/api/anomalies?from=" + T0.plusSeconds(30) + "&to=" + T0.plusSeconds(90)));
        assertEquals(1, time.get("total").asInt());
        assertEquals(a2.id(), time.get("items").get(0).get("id").asText());
        JsonNode page = json(get("/api/anomalies?limit=1&offset=1"));
        assertEquals(3, page.get("total").asInt());
        assertEquals(1, page.get("items").size());
        assertEquals(a2.id(), page.get("items").get(0).get("id").asText());

        assertEquals(201, post("/api/anomalies/" + a2.id() + "/feedback", "{\"verdict\":\"confirmed\"}", TOKEN).statusCode());
        JsonNode confirmed = json(get("/api/anomalies?verdict=confirmed"));
        assertEquals(1, confirmed.get("total").asInt());
        assertEquals("confirmed", confirmed.get("items").get(0).get("verdict").asText());
        assertEquals(2, json(get("/api/anomalies?verdict=none")).get("total").asInt());
    }

    @Test
    void badQueriesAreRefusedSayingWhatIsWrong() throws Exception {
        for (String q : List.of("?limit=0", "?limit=501", "?offset=-1", "?from=yesterday", "?verdict=maybe",
                "?host=%3Cscript%3E", "?colour=red")) {
            HttpResponse<String> r = get("/api/anomalies" + q);
            assertEquals(400, r.statusCode(), q);
            assertFalse(json(r).get("error").asText().isBlank(), q);
        }
    }

    @Test
    void oneAnomalyComesWithItsLinesExplanationAndVerdict() throws Exception {
        JsonNode one = json(get("/api/anomalies/" + a1.id()));
        assertEquals("line two", one.get("anomaly").get("lines").get(1).get("text").asText());
        assertEquals(2, one.get("anomaly").get("explanation").get("observed").asInt());
        assertTrue(one.get("feedback").isNull());
        assertEquals(404, get("/api/anomalies/a0000000000000000").statusCode());
        assertEquals(400, get("/api/anomalies/not-an-id").statusCode());
    }

    @Test
    void feedbackGoesThroughTheDeskOnceAndIsRefusedWhenBad() throws Exception {
        String path = "/api/anomalies/" + a1.id() + "/feedback";
        HttpResponse<String> ok = post(path, "{\"verdict\":\"false-positive\",\"note\":\"nightly backup\",\"who\":\"ops\"}", TOKEN);
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(1, written.size());
        FeedbackRecord f = written.get(0);
        assertEquals(a1.id(), f.anomalyId());
        assertEquals("false-positive", f.verdict().text());
        assertEquals("nightly backup", f.note());
        assertEquals("ops", f.who());
        assertEquals(List.of("line one", "line two"), f.lines());
        assertEquals("false-positive", json(get("/api/anomalies/" + a1.id())).get("feedback").get("verdict").asText());

        assertEquals(409, post(path, "{\"verdict\":\"confirmed\"}", TOKEN).statusCode());
        String other = "/api/anomalies/" + a2.id() + "/feedback";
        assertEquals(400, post(other, "{\"verdict\":\"maybe\"}", TOKEN).statusCode());
        assertEquals(400, post(other, "{\"note\":\"no verdict\"}", TOKEN).statusCode());
        assertEquals(400, post(other, "{\"verdict\":\"confirmed\",\"admin\":\"true\"}", TOKEN).statusCode());
        assertEquals(400, post(other, "[1,2]", TOKEN).statusCode());
        assertEquals(400, post(other, "not json", TOKEN).statusCode());
        assertEquals(400, post(other, "{\"verdict\":\"confirmed\",\"note\":\"" + "x".repeat(2001) + "\"}", TOKEN).statusCode());
        assertEquals(404, post("/api/anomalies/a0000000000000000/feedback", "{\"verdict\":\"confirmed\"}", TOKEN).statusCode());
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(server.url() + other.substring(1)))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("verdict=confirmed")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode());
        assertEquals(1, written.size(), "no refused request wrote anything");
    }

    @Test
    void everyChangingRequestWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
        String fb = "/api/anomalies/" + a1.id() + "/feedback";
        for (String token : new String[]{null, "wrong-token-0123456789", TOKEN + "x"}) {
            HttpResponse<String> r = post(fb, "{\"verdict\":\"false-positive\"}", token);
            assertEquals(401, r.statusCode());
            assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
            assertEquals(401, post("/api/models/v2/activate", "{}", token).statusCode());
        }
        assertTrue(written.isEmpty());
        assertEquals("v1", ModelRegistry.of(model).active());
        assertEquals(401, post("/api/models/v2/activate", "{}", "").statusCode());
    }

    @Test
    void metricsGiveTheDetectorsFiguresAndEachHost() throws Exception {
        JsonNode m = json(get("/api/metrics"));
        assertEquals(1234, m.get("detector").get("recordsIn").asLong());
        assertEquals(5, m.get("detector").get("deadLetters").asLong());
        assertEquals(7, m.get("detector").get("openSessions").asLong());
        JsonNode hosts = m.get("hosts");
        assertEquals(2, hosts.size());
        assertEquals("node-1", hosts.get(0).get("host").asText());
        assertEquals(2, hosts.get(0).get("anomalies").asLong());
        assertEquals(500, hosts.get(0).get("lines").asLong());
        assertEquals(3, hosts.get(0).get("lag").asLong());
        assertEquals(1, hosts.get(1).get("anomalies").asLong());
        assertTrue(hosts.get(1).get("lines").isNull());
        assertEquals(3, m.get("history").get("anomalies").asInt());
        assertEquals(5, hosts.get(0).get("openSessions").asLong());
        assertEquals(0, hosts.get(0).get("deadLetters").asLong());
        assertEquals(2, hosts.get(1).get("openSessions").asLong());
        assertEquals(3, hosts.get(1).get("deadLetters").asLong());
        assertEquals("v1", m.get("detector").get("modelVersion").asText());

        // a host that so far only has open sessions and dead letters is listed too, with no anomalies
        metrics.openSessions("0_1", 1, Map.of("node-7", 1L));
        metrics.deadLetter("node-7");
        JsonNode again = json(get("/api/metrics")).get("hosts");
        assertEquals(3, again.size());
        assertEquals("node-7", again.get(2).get("host").asText());
        assertEquals(1, again.get(2).get("openSessions").asLong());
        assertEquals(1, again.get(2).get("deadLetters").asLong());
        assertEquals(0, again.get(2).get("anomalies").asLong());

        // without a detector beside the console, the figures it would count are absent rather than zero
        try (ConsoleServer s = ConsoleServer.builder(history, ApiToken.given(TOKEN)).start()) {
            JsonNode bare = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertNull(bare.get("detector"));
            assertTrue(bare.get("hosts").get(0).get("openSessions").isNull());
            assertTrue(bare.get("hosts").get(0).get("deadLetters").isNull());
        }
    }

    @Test
    void aRandomHistoryIsListedAndChartedAsAScanOfItGives() throws Exception {
        java.util.Random r = new java.util.Random(11);
        AnomalyHistory h = new AnomalyHistory();
        List<FeedbackRecord> sink = new CopyOnWriteArrayList<>();
        FeedbackDesk desk = new FeedbackDesk(h, sink::add);
        Instant now = Instant.now();
        String[] hosts = {"node-1", "node-2", "node-3"};
        for (int i = 0; i < 400; i++) {
            // recent times, out of arrival order, so the chart's last hour and the time filters both have work
            AnomalyRecord a = Fixtures.anomaly(hosts[r.nextInt(3)], "blk_r" + i, 1000 + i,
                    now.minusSeconds(r.nextInt(5400)), "line " + i);
            h.add(a);
            if (r.nextInt(3) == 0) {
                desk.submit(a.id(), r.nextBoolean() ? "confirmed" : "false-positive", null, "test");
            }
        }
        try (ConsoleServer s = ConsoleServer.builder(h, ApiToken.given(TOKEN)).start()) {
            for (int k = 0; k < 40; k++) {
                String host = r.nextInt(4) == 0 ? null : hosts[r.nextInt(3)];
                String verdict = new String[]{null, "any", "none", "confirmed", "false-positive"}[r.nextInt(5)];
                Instant from = r.nextBoolean() ? null : now.minusSeconds(r.nextInt(5400));
                Instant to = r.nextBoolean() ? null : now.minusSeconds(r.nextInt(3000));
                int limit = 1 + r.nextInt(80);
                int offset = r.nextInt(120);
                List<AnomalyRecord> scan = h.list(a -> (host == null || host.equals(a.host()))
                        && (from == null || !Instant.parse(a.detectedAt()).isBefore(from))
                        && (to == null || Instant.parse(a.detectedAt()).isBefore(to))
                        && (verdict == null || verdict.equals("any") || verdict.equals(h.feedbackOn(a.id())
                        .map(f -> f.verdict().text()).orElse("none"))));
                StringBuilder q = new StringBuilder("api/anomalies?limit=" + limit + "&offset=" + offset);
                if (host != null) {
                    q.append("&host=").append(host);
                }
                if (verdict != null) {
                    q.append("&verdict=").append(verdict);
                }
                if (from != null) {
                    q.append("&from=").append(from);
                }
                if (to != null) {
                    q.append("&to=").append(to);
                }
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(s.url() + q)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(resp.headers().firstValue("Server-Timing").orElse("").startsWith("app;dur="));
                JsonNode page = json(resp);
                assertEquals(scan.size(), page.get("total").asInt(), q.toString());
                List<String> want = new java.util.ArrayList<>();
                for (AnomalyRecord a : scan.subList(Math.min(offset, scan.size()), Math.min(scan.size(), offset + limit))) {
                    want.add(a.id() + "/" + h.feedbackOn(a.id()).map(f -> f.verdict().text()).orElse(null));
                }
                List<String> got = new java.util.ArrayList<>();
                page.get("items").forEach(i -> got.add(i.get("id").asText() + "/"
                        + (i.get("verdict").isNull() ? null : i.get("verdict").asText())));
                assertEquals(want, got, q.toString());
            }
            JsonNode rate = json(http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/anomaly-rate?minutes=60"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
            Instant start = Instant.ofEpochSecond(rate.get("minutes").get(0).asLong());
            for (String host : hosts) {
                long[] want = new long[60];
                for (AnomalyRecord a : h.list(a -> host.equals(a.host()))) {
                    long i = java.time.Duration.between(start, Instant.parse(a.detectedAt())).toMinutes();
                    if (!Instant.parse(a.detectedAt()).isBefore(start) && i < 60) {
                        want[(int) i]++;
                    }
                }
                long[] got = new long[60];
                for (int i = 0; i < 60; i++) {
                    got[i] = rate.get("hosts").get(host).get(i).asLong();
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, host);
            }
        }
    }

    @Test
    void theRateChartCountsAnomaliesPerMinutePerHost() throws Exception {
        Instant now = Instant.now();
        history.add(Fixtures.anomaly("node-3", "blk_9", 90, now, "x"));
        history.add(Fixtures.anomaly("node-3", "blk_10", 91, now, "y"));
        JsonNode r = json(get("/api/anomaly-rate?minutes=5"));
        assertEquals(5, r.get("minutes").size());
        JsonNode counts = r.get("hosts").get("node-3");
        assertEquals(5, counts.size());
        assertEquals(2, counts.get(4).asInt());
        assertNull(r.get("hosts").get("node-1"), "anomalies older than the window are not counted");
        assertEquals(400, get("/api/anomaly-rate?minutes=0").statusCode());
    }

    @Test
    void modelsAreListedAndActivatedWithTheToken() throws Exception {
        JsonNode m = json(get("/api/models"));
        assertEquals("v1", m.get("active").asText());
        assertEquals(2, m.get("versions").size());
        assertEquals("v2", m.get("versions").get(1).get("name").asText());
        assertEquals(a1.id(), m.get("versions").get(1).get("feedback").get(0).asText());

        HttpResponse<String> r = post("/api/models/v2/activate", "", TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("v2", ModelRegistry.of(model).active());
        assertEquals("v2", json(get("/api/models")).get("active").asText());
        assertEquals(404, post("/api/models/v9/activate", "", TOKEN).statusCode());
        assertEquals(400, post("/api/models/latest/activate", "", TOKEN).statusCode());
    }

    @Test
    void newAnomaliesArePushedToOpenPagesAsServerSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        var open = http.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "api/events"))
                        .header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> resp = open.get(10, TimeUnit.SECONDS);
        assertEquals("text/event-stream", resp.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        Thread reader = new Thread(() -> resp.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        AnomalyRecord fresh = Fixtures.anomaly("node-4", "blk_42", 400, Instant.now(), "fresh line");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean added = false;
        while (System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.contains(fresh.id()) && l.startsWith("data:"))) {
            if (!added && !lines.isEmpty()) { // the stream is open (its first comment came): now the anomaly
                history.add(fresh);
                added = true;
            }
            Thread.sleep(20);
        }
        assertTrue(lines.contains("event: anomaly") || lines.contains("event:anomaly"), lines.toString());
        String data = lines.stream().filter(l -> l.startsWith("data:") && l.contains(fresh.id())).findFirst().orElseThrow();
        JsonNode ev = Json.MAPPER.readTree(data.substring(5).trim());
        assertEquals("node-4", ev.get("host").asText());
        assertEquals("blk_42", ev.get("sessionId").asText());
        resp.body().close();
    }

    private static org.w3c.dom.Document svg(HttpResponse<String> r) throws Exception {
        var f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAnomalysWorkflowPictureIsTheSvgOfItsModelVersionWithTheDivergenceItCarriesMarked() throws Exception {
        Path m = Fixtures.deepLogModel(dir.resolve("deeplog-model"));
        // the record carries where it left the workflow: after key 1 came key 7, which the model never saw
        Map<?, ?> carried = Json.MAPPER.convertValue(Diagnosis.of(Fixtures.LINE, new int[]{1, 7}, -1), Map.class);
        AnomalyRecord a = Fixtures.record("blk_w1", 900, "deeplog", "v1", new int[]{1, 7},
                Map.of("model", Map.of("events", List.of(Map.of("position", 2))), "workflow", carried),
                Map.of(7, "<img src=x onerror=\"pwned()\">"));
        AnomalyHistory h = new AnomalyHistory();
        h.add(a);
        try (ConsoleServer s = ConsoleServer.builder(h, ApiToken.given(TOKEN)).models(m).start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/anomalies/" + a.id()
                    + "/workflow.svg")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("image/svg+xml", r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("sandbox") && !csp.contains("script-src"), csp);
            assertTrue(r.body().contains("<g class=\"last\" id=\"state-1\">"), r.body());
            assertTrue(r.body().contains("<g class=\"unexpected\" id=\"state-7\">"), r.body());
            var doc = svg(r);
            assertEquals("svg", doc.getDocumentElement().getTagName());
            assertEquals(0, doc.getElementsByTagName("script").getLength(), r.body());
            assertEquals(0, doc.getElementsByTagName("img").getLength(), r.body());
            String text = doc.getDocumentElement().getTextContent();
            assertTrue(text.contains("open <script>window.pwned"), text);
            assertTrue(text.contains("<img src=x onerror="), "a key the model never saw is named by its text: " + text);
        }
    }

    @Test
    void anAnomalyWithoutACarriedDiagnosisIsDiagnosedFromItsKeysOnTheModelVersionItNames() throws Exception {
        Path m = Fixtures.deepLogModel(dir.resolve("deeplog-model"));
        String fixed = "deeplog@" + ModelManifest.read(m).createdAt(); // a stream of a fixed model names it so
        AnomalyRecord a = Fixtures.record("blk_w2", 910, "deeplog", fixed, new int[]{1, 2, 1}, null, null);
        AnomalyHistory h = new AnomalyHistory();
        h.add(a);
        try (ConsoleServer s = ConsoleServer.builder(h, ApiToken.given(TOKEN)).models(m).start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/anomalies/" + a.id()
                    + "/workflow.svg")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("<g class=\"last\" id=\"state-2\">"), "after key 2 came key 1 again: " + r.body());
            assertTrue(r.body().contains("class=\"unexpected\""), r.body());
            assertFalse(r.body().contains("<g class=\"unexpected\""), "key 1 is a state of the workflow: " + r.body());
        }
    }

    @Test
    void noWorkflowPictureIsA404SayingWhyAndAnUnknownIdIsRefused() throws Exception {
        Path m = Fixtures.deepLogModel(dir.resolve("deeplog-model"));
        AnomalyRecord noWorkflows = Fixtures.record("blk_w3", 920, "deeplog", "v2", new int[]{1, 7}, null, null);
        AnomalyRecord ngram = Fixtures.record("blk_w4", 930, "ngram", "v1", new int[]{1, 7}, null, null);
        AnomalyRecord unknownVersion = Fixtures.record("blk_w5", 940, "deeplog", "v9", new int[]{1, 7}, null, null);
        AnomalyHistory h = new AnomalyHistory();
        List.of(noWorkflows, ngram, unknownVersion).forEach(h::add);
        try (ConsoleServer s = ConsoleServer.builder(h, ApiToken.given(TOKEN)).models(m).start()) {
            Map<AnomalyRecord, String> why = Map.of(noWorkflows, "has no workflows", ngram, "found by ngram",
                    unknownVersion, "no version 'v9'");
            for (var e : why.entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/anomalies/"
                        + e.getKey().id() + "/workflow.svg")).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, r.statusCode(), r.body());
                assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
                assertTrue(json(r).get("error").asText().contains(e.getValue()), r.body());
            }
        }
        // the console of the other tests: an ngram model, and ids it does not know or cannot be ids
        HttpResponse<String> deeplogOfNgramModel = get("/api/anomalies/" + a1.id() + "/workflow.svg");
        assertEquals(404, deeplogOfNgramModel.statusCode());
        assertEquals(404, get("/api/anomalies/a0000000000000000/workflow.svg").statusCode());
        assertTrue(json(get("/api/anomalies/a0000000000000000/workflow.svg")).get("error").asText().contains("no anomaly"));
        assertEquals(400, get("/api/anomalies/not-an-id/workflow.svg").statusCode());
        assertEquals(400, get("/api/anomalies/" + a1.id() + "/workflow.svg?colour=red").statusCode());
    }

    @Test
    void theOpenApiDocumentListsEveryRouteAndNoOther() throws Exception {
        HttpResponse<String> r = get("/api/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        Set<String> documented = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m + " " + p.getKey())));
        Set<String> served = new HashSet<>();
        server.routes().forEach(x -> served.add(x.method() + " " + x.path()));
        assertEquals(served, documented);
        assertEquals(10, served.size(), served.toString());
    }

    @Test
    void theConsoleAndItsAssetsComeFromTheJarWithAStrictContentSecurityPolicyAndNoCors() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>anomalog console</title>"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no asset from elsewhere");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertEquals(200, get("/app.js").statusCode());
        assertEquals(200, get("/vendor/uplot/uPlot.iife.min.js").statusCode());
        assertEquals(200, get("/vendor/uplot/LICENSE").statusCode());
        HttpResponse<String> cross = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/anomalies"))
                .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(cross.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/anomalies/"
                        + a1.id() + "/feedback")).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").isEmpty());
    }

    @Test
    void onALoopbackAddressARequestNamingAnotherHostIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/anomalies HTTP/1.1\r\nHost: attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertNotNull(status);
            assertTrue(status.contains(" 403"), status);
        }
        assertEquals(200, get("/api/anomalies").statusCode());
    }

    @Test
    void aTokenIsMadeOnceStoredOwnerOnlyAndReadBackAtTheNextStart() throws Exception {
        Path file = dir.resolve("state").resolve("console-token.json");
        ApiToken first = ApiToken.loadOrCreate(file);
        assertTrue(first.created());
        assertTrue(first.value().length() >= 40);
        assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        assertEquals(1, Json.MAPPER.readTree(file.toFile()).get("formatVersion").asInt());
        ApiToken again = ApiToken.loadOrCreate(file);
        assertFalse(again.created());
        assertEquals(first.value(), again.value());
        assertTrue(again.matches(first.value()));
        assertFalse(again.matches(first.value() + "x"));
        Files.writeString(file, "{\"formatVersion\":99,\"token\":\"" + first.value() + "\"}");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.anomalog.core.util.AnomalogException.class,
                () -> ApiToken.loadOrCreate(file));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        assertThrowsShort();
    }

    private static void assertThrowsShort() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.anomalog.core.util.AnomalogException.class,
                () -> ApiToken.given("short"));
        assertTrue(e.getMessage().contains("at least 16"));
    }

    @Test
    void httpAddressesAreReadOrRefusedClearly() {
        assertTrue(HttpAddress.parse("127.0.0.1:8080").loopback());
        assertEquals(8080, HttpAddress.parse("[::1]:8080").port());
        assertTrue(HttpAddress.parse("off").off());
        assertFalse(HttpAddress.parse("0.0.0.0:9000").loopback());
        for (String bad : List.of("8080", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.anomalog.core.util.AnomalogException.class,
                    () -> HttpAddress.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--http"), e.getMessage());
        }
    }
}
