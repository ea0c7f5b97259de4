package io.anomalog.core.ingest;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestPipelineTest {

    @TempDir
    Path dir;

    private static final String HDFS_LINE = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for "
            + "block blk_38865049064139660 terminating";

    @Test
    void aLineBecomesAnEventWithItsTimeLevelComponentTemplateAndParameters() {
        IngestPipeline p = IngestPipeline.builder(LogFormats.byName("hdfs")).build();
        ParsedEvent e = p.line(HDFS_LINE, "f", 1, 0);
        assertEquals("2008-11-09T20:36:15Z", e.record().time().toString());
        assertEquals("INFO", e.record().level());
        assertEquals("dfs.DataNode$PacketResponder", e.record().component());
        assertEquals("148", e.record().field("Pid"));
        assertEquals(HDFS_LINE, e.record().line());
        assertTrue(e.template().startsWith("PacketResponder <*> for block"), e.template());
        assertTrue(e.parameters().contains("1"), e.parameters().toString());
        assertEquals(1, p.stats().events());
    }

    @Test
    void linesOutsideTheFormatAreKeptAndCountedOrDeadLetteredAsThePolicySays() {
        IngestPipeline keep = IngestPipeline.builder(LogFormats.byName("hdfs")).build();
        ParsedEvent kept = keep.line("not an hdfs line at all", "f", 1, 0);
        assertEquals("not an hdfs line at all", kept.record().content());
        assertEquals(1, keep.stats().count(LineProblem.NOT_IN_FORMAT));
        assertEquals(0, keep.stats().deadLettered());

        DeadLetters.Collected dead = DeadLetters.collecting();
        IngestPipeline strict = IngestPipeline.builder(LogFormats.byName("hdfs")).policy(new BadLinePolicy(true))
                .deadLetters(dead).build();
        assertNull(strict.line("not an hdfs line at all", "f", 7, 0));
        DeadLetter d = dead.letters().get(0);
        assertEquals(7, d.lineNumber());
        assertEquals("line does not match log format hdfs", d.reason());
    }

    @Test
    void binaryLinesAlwaysGoToTheDeadLettersWhateverTheFormat() {
        DeadLetters.Collected dead = DeadLetters.collecting();
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).deadLetters(dead).build();
        assertNull(p.line("\u0000\u0001\u0002\uFFFD\uFFFD\u0003", "f", 3, 0));
        assertEquals("mostly binary or undecodable bytes", dead.letters().get(0).reason());
        assertEquals(1, p.stats().deadLettered(LineProblem.UNUSABLE));
        assertTrue(p.stats().summary().contains("1 mostly binary or undecodable bytes (dead-lettered)"),
                p.stats().summary());
    }

    @Test
    void detectionKeepsTheStoresKeysNeverMergesThemAndGivesNewTemplatesKeysFromTheirText() {
        TemplateStore store = new TemplateStore();
        store.create("session opened for user <*>");
        store.create("session closed for user <*>");
        store.create("session expired for user <*>");
        IngestPipeline a = IngestPipeline.builder(LogFormats.raw()).store(store).mode(MinerSettings.Mode.DETECT).build();
        assertEquals(1, a.line("session opened for user 7", "f", 1, 0).templateId());
        // a fourth word at the same position would make the position a variable while learning; never in detection
        int renewed = a.line("session renewed for user 9", "f", 2, 0).templateId();
        assertTrue(LiveTemplateKeys.isLive(renewed) && a.isNewKey(renewed));
        assertEquals(2, a.line("session closed for user 3", "f", 3, 0).templateId());
        assertEquals(3, store.resolve(3), "no template was merged into another");

        TemplateStore copy = new TemplateStore();
        copy.create("session opened for user <*>");
        IngestPipeline b = IngestPipeline.builder(LogFormats.raw()).store(copy).mode(MinerSettings.Mode.DETECT).build();
        b.line("kernel panic on cpu 3", "f", 1, 0);
        assertEquals(a.line("kernel panic on cpu 1", "f", 4, 0).templateId(),
                b.line("kernel panic on cpu 2", "f", 2, 0).templateId(),
                "the same new template gets the same key whatever the store's next id");
    }

    @Test
    void theTemplateCapInDetectionEvictsOnlyTemplatesMetSinceAndNeverTheModels() {
        TemplateStore store = new TemplateStore();
        store.create("session opened for user <*>");
        store.create("session closed for user <*>");
        store.create("disk <*> full");
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).store(store)
                .miner(MinerSettings.defaults().withMaxTemplates(2)).mode(MinerSettings.Mode.DETECT).build();
        String[] novel = {"kernel panic on cpu 3", "fan speed low", "link eth0 down", "battery at 5 percent",
                "clock skew detected"};
        for (String n : novel) {
            p.line(n, "f", 1, 0);
        }
        assertTrue(p.miner().evicted() >= 3, "only two new templates are kept: " + p.miner().evicted());
        assertEquals(1, p.line("session opened for user 4", "f", 2, 0).templateId());
        assertEquals(2, p.line("session closed for user 5", "f", 3, 0).templateId());
        assertEquals(3, p.line("disk sda1 full", "f", 4, 0).templateId());
    }

    @Test
    void learningGivesEveryEventTheFinalIdOfItsTemplate(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("a.log");
        StringBuilder sb = new StringBuilder();
        for (String w : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
            sb.append("worker ").append(w).append(" finished the job\n");
        }
        Files.writeString(log, sb, StandardCharsets.UTF_8);
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).build();
        List<ParsedEvent> events = p.readAll(List.of(log));
        assertEquals(5, events.size());
        // the words became a variable once there were enough of them: all five lines share one template now
        assertEquals(1, events.stream().map(ParsedEvent::templateId).distinct().count(), events.toString());
        assertEquals("worker <*> finished the job", events.get(0).template());
    }

    @Test
    void aStoreMadeWithOtherMinerSettingsIsRefusedUnlessOverridden() {
        TemplateStore store = new TemplateStore();
        IngestPipeline.builder(LogFormats.raw()).store(store).miner(MinerSettings.defaults().withSimilarity(0.4))
                .build();
        assertEquals("0.4", store.settings().get("similarity"), "learning records the settings in the store");
        AnomalogException e = assertThrows(AnomalogException.class, () -> IngestPipeline.builder(LogFormats.raw())
                .store(store, "t.json").build());
        assertTrue(e.getMessage().contains("template store t.json was made with other miner settings: similarity 0.4 "
                + "(asked: 0.5)"), e.getMessage());
        assertTrue(e.getMessage().contains("--override-miner-settings"), e.getMessage());
        IngestPipeline.builder(LogFormats.raw()).store(store).overrideSettings(true).build();
        assertEquals("0.5", store.settings().get("similarity"));
        // a store's own settings read back are compatible with it
        store.settings(MinerSettings.defaults().withMasks(List.of("req-\\d+")).describe());
        MinerSettings back = MinerSettings.of(store.settings());
        assertEquals(List.of("req-\\d+"), back.masks());
        back.requireCompatible(store.settings(), "t", false);
        assertThrows(AnomalogException.class, () -> MinerSettings.defaults().requireCompatible(store.settings(), "t",
                false), "a store with an extra mask differs from one without");
    }

    @Test
    void linesTheGroupingCannotPlaceAreDeadLetteredAndCounted() throws Exception {
        Path log = dir.resolve("b.log");
        Files.writeString(log, "open blk_1\nnothing here\nclose blk_1\n", StandardCharsets.UTF_8);
        DeadLetters.Collected dead = DeadLetters.collecting();
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).deadLetters(dead).build();
        LogSequences s = LogSequences.read(p, List.of(log), GroupingSpec.Sessions.byPattern("blk_\\d+"),
                id -> Label.NORMAL);
        assertEquals(List.of("blk_1"), s.sequences().stream().map(Sequence::id).toList());
        assertEquals(1, p.stats().deadLettered(LineProblem.NO_SESSION_ID));
        assertEquals(2, dead.letters().get(0).lineNumber());
        assertEquals(3, p.stats().lines());
    }

    @Test
    void aBinaryFileIsRefusedWhileALogWithAFewBadLinesIsRead() throws Exception {
        java.util.Random rnd = new java.util.Random(3);
        byte[] junk = new byte[64 * 1024];
        rnd.nextBytes(junk);
        Path bin = dir.resolve("program");
        Files.write(bin, junk);
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> IngestPipeline.builder(LogFormats.raw()).build().readAll(List.of(bin)));
        assertTrue(e.getMessage().startsWith(bin + " looks like a binary file, not a log"), e.getMessage());

        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            log.append("worker ").append(i).append(" done\n");
            if (i % 50 == 0) {
                log.append("\u0000\u0001\u0002\u0003\u0004\n");
            }
        }
        Path text = dir.resolve("mostly.log");
        Files.writeString(text, log, StandardCharsets.UTF_8);
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).build();
        assertEquals(200, p.readAll(List.of(text)).size());
        assertEquals(4, p.stats().deadLettered(LineProblem.UNUSABLE));
    }

    @Test
    void aDeadLetterFileIsWrittenOnlyWhenThereIsSomethingToWrite() throws Exception {
        Path none = dir.resolve("none.jsonl");
        try (DeadLetters d = DeadLetters.file(none)) {
            assertEquals(0, d.count());
        }
        assertTrue(Files.notExists(none));
        Path some = dir.resolve("sub/some.jsonl");
        try (DeadLetters d = DeadLetters.file(some)) {
            d.accept(new DeadLetter("f", 3, "why", "text"));
        }
        String line = Files.readString(some).strip();
        assertEquals(Map.of("source", "f", "lineNumber", 3, "reason", "why", "text", "text"),
                io.anomalog.core.io.Json.MAPPER.readValue(line, Map.class));
        assertNotEquals(0, Files.size(some));
    }
}
