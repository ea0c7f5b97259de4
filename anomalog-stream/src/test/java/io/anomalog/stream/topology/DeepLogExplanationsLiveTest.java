package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LogSequences;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.parameter.KeyLayout;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.PerformanceAnomaly;
import io.anomalog.stream.simulate.SimulatedLine;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real DeepLog model (key model, parameter-value models and workflows) trained on simulated normal HDFS lines,
 * saved and loaded as the detector service loads it, judging live sessions through the whole topology: what an
 * operator reads on the {@code anomalies} topic must say why, for a key-order anomaly (the unexpected key, what
 * was expected instead, where the session left its workflow) and for a performance anomaly whose keys are normal
 * (the key, its template, the observed and predicted values and how many deviations apart they are).
 */
class DeepLogExplanationsLiveTest {

    private static final FormatSpec FORMAT = FormatSpec.preset("hdfs");
    private static final GroupingSpec GROUPING = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK)
            .withGap(Duration.ofSeconds(5));
    private static final DateTimeFormatter HDFS_TIME = DateTimeFormatter.ofPattern("yyMMdd HHmmss");
    /** g of the test model: small, so that a key the model gives little probability is outside the top g. */
    private static final int TOP_G = 4;

    @TempDir
    static Path modelDir;
    static StreamModel model;
    /** The most frequent key sequence of the training sessions: the test sessions are drawn with these keys. */
    static List<Integer> commonKeys;

    /** A simulated session: its lines in order and what the simulator planted in it (null: nothing). */
    record Session(String id, List<String> lines, String kind) {
    }

    @BeforeAll
    static void train() throws Exception {
        TemplateStore store = new TemplateStore();
        IngestPipeline learn = IngestPipeline.builder(FORMAT.resolve()).store(store).build();
        // service times on (0-2 s between a session's lines, as the live sessions have), the few delayed
        // sessions left out: the model learns normal sessions only
        HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(1).sessions(500).anomalyRate(0)
                .performanceAnomalies(0.01, 0, 0).seed(11).build();
        List<ParsedEvent> events = new ArrayList<>();
        long n = 0;
        var host = sim.host(0);
        while (host.hasNext()) {
            SimulatedLine l = host.next();
            if (l.kind() != null) {
                continue;
            }
            ParsedEvent e = learn.line(l.line(), "training", ++n, -1);
            if (e != null) {
                events.add(e);
            }
        }
        List<Sequence> training = LogSequences.group(learn, learn.resolved(events), GROUPING, id -> Label.NORMAL)
                .sequences().stream().map(q -> q.withLabel(Label.NORMAL)).toList();
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (Sequence s : training) {
            counts.merge(Arrays.stream(s.keys()).boxed().toList(), 1, Integer::sum);
        }
        commonKeys = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<Integer, String> texts = new HashMap<>();
        for (TemplateStore.Entry t : store.entries()) {
            texts.put(t.id(), t.text());
        }
        Params params = Params.of("history", "4", "topG", String.valueOf(TOP_G), "hidden", "16", "epochs", "20",
                "batch", "64", "lr", "0.02", "patience", "3", "seed", "7", "parameterHidden", "8",
                "parameterEpochs", "20", "parameterLr", "0.02", "parameterThreads", "2");
        var trainer = Detectors.provider("deeplog").trainer(params).withTemplateTexts(texts)
                .withProvenance(Provenance.of("simulated hdfs", List.of(), FORMAT, GROUPING,
                        learn.settings().describe(), store.hash()));
        try (var detector = trainer.fit(training, KeyVocabulary.of(training), Progress.NONE)) {
            store.save(modelDir.resolve(StreamModel.STORE_FILE));
            detector.save(modelDir);
        }
        // as the detector service has it: from the model folder, with the templates and workflows saved there
        model = StreamModel.loadVersion(modelDir, null);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Sessions of a second simulation, many of them delayed or oversized, complete and in line order. */
    private static List<Session> liveSessions() {
        HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(1).sessions(300).anomalyRate(0)
                .performanceAnomalies(0.3, 0.3, 0).seed(23).build();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, String> kinds = new HashMap<>();
        var host = sim.host(0);
        while (host.hasNext()) {
            SimulatedLine l = host.next();
            lines.computeIfAbsent(l.sessionId(), k -> new ArrayList<>()).add(l.line());
            if (l.kind() != null) {
                kinds.put(l.sessionId(), l.kind());
            }
        }
        List<Session> out = new ArrayList<>();
        lines.forEach((id, ls) -> out.add(new Session(id, ls, kinds.get(id))));
        return out;
    }

    /** The keys the model's store gives a session's lines. */
    private static List<Integer> keysOf(List<String> lines) {
        IngestPipeline p = model.pipeline(FORMAT, BadLinePolicy.defaults());
        List<Integer> keys = new ArrayList<>();
        long n = 0;
        for (String l : lines) {
            keys.add(p.line(l, "check", ++n, -1).templateId());
        }
        return keys;
    }

    /** The first live session of a kind whose keys are the training sessions' most frequent sequence. */
    private static Session first(List<Session> sessions, String kind) {
        return sessions.stream().filter(s -> java.util.Objects.equals(kind, s.kind()))
                .filter(s -> keysOf(s.lines()).equals(commonKeys)).findFirst().orElseThrow();
    }

    private static LocalDateTime timeOf(String hdfsLine) {
        return LocalDateTime.parse(hdfsLine.substring(0, 13), HDFS_TIME);
    }

    @Test
    void anomalyRecordsCarryTheKeyModelsAndTheParameterModelsExplanationsAndTheWorkflowPosition() throws Exception {
        List<Session> live = liveSessions();
        Session delayed = first(live, PerformanceAnomaly.DELAY);
        Session large = first(live, PerformanceAnomaly.SIZE);
        Session normal = first(live, null);
        // wrong order: the session's last line comes fifth (its time that of the line before, so only the order
        // is wrong), e.g. a block deleted right after it was allocated
        List<String> reordered = new ArrayList<>(normal.lines());
        String moved = reordered.remove(reordered.size() - 1);
        String before = reordered.get(3);
        reordered.add(4, before.substring(0, 13) + moved.substring(13));
        Session wrongOrder = new Session(normal.id(), reordered, PerformanceAnomaly.SEQUENCE);

        var settings = DetectorTopology.builder(model.pipeline(FORMAT, BadLinePolicy.defaults()), model.detector())
                .grouping(GROUPING).quietHost(Duration.ofSeconds(5));
        Properties props = new Properties();
        props.put("application.id", "deeplog-live");
        props.put("bootstrap.servers", "unused:9092");
        Map<String, JsonNode> bySession = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(settings.build(), props)) {
            TestInputTopic<String, byte[]> h1 = driver.createInputTopic("logs.h1", Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> anomalies = driver.createOutputTopic("anomalies",
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            for (Session s : List.of(delayed, large, wrongOrder)) {
                s.lines().forEach(l -> h1.pipeInput(l.getBytes(StandardCharsets.UTF_8)));
            }
            driver.advanceWallClockTime(Duration.ofSeconds(11));
            for (var kv : anomalies.readKeyValuesToList()) {
                JsonNode a = Json.MAPPER.readTree(kv.value);
                bySession.put(a.get("sessionId").asText(), a);
            }
        }
        assertEquals(3, bySession.size(), "all three planted anomalies reach the topic: " + bySession.keySet());

        // the key-order anomaly: the key model's unexpected event with its top-g, and the workflow diagnosis
        JsonNode order = bySession.get(wrongOrder.id()).get("explanation");
        List<Integer> keys = keysOf(reordered);
        JsonNode keyModel = order.get("model");
        assertNotNull(keyModel, order.toString());
        JsonNode unexpected = keyModel.get("events").get(0);
        assertEquals(5, unexpected.get("position").asInt(), order.toString());
        assertEquals(keys.get(4), unexpected.get("observedKey").asInt());
        assertEquals(model.store().entries().stream().filter(t -> t.id() == keys.get(4)).findFirst().orElseThrow()
                .text(), unexpected.get("observedTemplate").asText());
        assertTrue(unexpected.get("observedRank").asInt() > TOP_G);
        JsonNode expected = unexpected.get("expected");
        assertEquals(TOP_G, expected.size(), expected.toString());
        List<Integer> expectedKeys = new ArrayList<>();
        expected.forEach(c -> expectedKeys.add(c.get("key").isNull() ? null : c.get("key").asInt()));
        assertTrue(expectedKeys.contains(commonKeys.get(4)), "the key that normally comes fifth is expected: "
                + expectedKeys);
        assertFalse(expectedKeys.contains(keys.get(4)));
        assertTrue(expected.get(0).has("template") && expected.get(0).has("probability"));
        JsonNode workflow = order.get("workflow");
        assertNotNull(workflow, "the workflow position travels with the key model's explanation: " + order);
        assertEquals(5, workflow.get("position").asInt());
        assertEquals(keys.get(3), workflow.get("lastNormalState").asInt());
        assertEquals(keys.get(4), workflow.get("unexpected").asInt());
        List<Integer> next = new ArrayList<>();
        workflow.get("expectedNext").forEach(k -> next.add(k.isNull() ? null : k.asInt()));
        assertTrue(next.contains(commonKeys.get(4)) && !next.contains(keys.get(4)), next.toString());
        assertFalse(workflow.get("onPath").asBoolean(), "a transition no normal session makes");
        assertTrue(bySession.get(wrongOrder.id()).get("summary").asText().contains("left workflow"));

        // the delay: the late line's key, template, observed and predicted seconds and deviations
        int late = 1;
        while (Duration.between(timeOf(delayed.lines().get(late - 1)), timeOf(delayed.lines().get(late)))
                .getSeconds() < 10) {
            late++;
        }
        JsonNode delay = bySession.get(delayed.id()).get("explanation");
        assertFalse(delay.has("workflow"), "a parameter anomaly keeps to its workflow: " + delay);
        JsonNode finding = findingAt(delay, late + 1);
        assertEquals(commonKeys.get(late), finding.get("key").asInt());
        assertTrue(finding.get("template").asText().length() > 0);
        int seconds = dimension(finding, KeyLayout.SECONDS);
        double observed = finding.get("observed").get(seconds).asDouble();
        assertTrue(observed >= 10, "observed " + observed + " s");
        assertTrue(finding.get("predicted").get(seconds).asDouble() < observed - 5, finding.toString());
        assertTrue(finding.get("deviations").get(seconds).asDouble() > 3, finding.toString());
        assertTrue(bySession.get(delayed.id()).get("summary").asText().contains("anomalous parameter values"));

        // the size: a size parameter several times the block size, far above its prediction
        JsonNode size = bySession.get(large.id()).get("explanation");
        boolean found = false;
        for (JsonNode f : size.get("events")) {
            for (int d = 0; d < f.get("dimensions").size(); d++) {
                if (f.get("dimensions").get(d).asText().equals(KeyLayout.SECONDS)) {
                    continue;
                }
                double o = f.get("observed").get(d).asDouble();
                if (o >= 3 * 67_108_864.0) {
                    found = true;
                    assertTrue(f.get("predicted").get(d).asDouble() <= 67_108_864.0 * 1.5, f.toString());
                    assertTrue(f.get("deviations").get(d).asDouble() > 3, f.toString());
                    assertTrue(f.get("template").asText().contains("size"), f.toString());
                    assertEquals(commonKeys.get(f.get("position").asInt() - 1), f.get("key").asInt());
                }
            }
        }
        assertTrue(found, "a finding names the oversized value: " + size);
    }

    private static JsonNode findingAt(JsonNode explanation, int position) {
        for (JsonNode f : explanation.get("events")) {
            if (f.get("position").asInt() == position) {
                return f;
            }
        }
        throw new AssertionError("no finding at event " + position + ": " + explanation);
    }

    private static int dimension(JsonNode finding, String name) {
        JsonNode dims = finding.get("dimensions");
        for (int d = 0; d < dims.size(); d++) {
            if (dims.get(d).asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no dimension " + name + ": " + finding);
    }
}
