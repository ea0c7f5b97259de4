package io.anomalog.cli;

import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic train, detect and evaluate commands with method deeplog, on the bundled HDFS samples. */
class DeepLogCommandsTest {

    static final Path REPO = Path.of(System.getProperty("anomalog.repo", ".."));
    static final Path HDFS = REPO.resolve("data/hdfs");
    static final String[] TINY = {"-p", "epochs=4", "-p", "hidden=16", "-p", "patience=2"};

    @TempDir
    static Path dir;

    static Path keyModel;



    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The public datasets folder; the tests that need OpenStack's files are skipped without it. */
    static Path openStackData() {
        Path data = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data.resolve("openstack")),
                "public datasets not available");
        return data;
    }

    @BeforeAll
    static void trainOnKeyFiles() throws Exception {
        List<String> lines = Files.readAllLines(HDFS.resolve("hdfs_train")).subList(0, 600);
        Path train = dir.resolve("train");
        Files.write(train, lines);
        keyModel = dir.resolve("keys-model");
        CliRun r = CliRun.of(concat(new String[]{"train", "deeplog", "--sessions", train.toString(),
                "--templates", HDFS.resolve("HDFS_templates.csv").toString(), "-o", keyModel.toString()}, TINY));
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void detectWritesAnomaliesWithExplanationsAsJsonLines() throws Exception {
        Path out = dir.resolve("anomalies.jsonl");
        CliRun r = CliRun.of("detect", "-m", keyModel.toString(), "--sessions",
                HDFS.resolve("hdfs_test_abnormal_sample").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out).stream().filter(s -> !s.isBlank()).toList();
        assertTrue(lines.size() > 1000, "only " + lines.size() + " of 2,000 anomalous sessions flagged");
        var first = Json.MAPPER.readTree(lines.get(0));
        assertTrue(first.get("anomalous").asBoolean());
        assertNotNull(first.get("explanation").get("events").get(0).get("expected"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"template\"")), "no template text in explanations");
        assertTrue(r.err().contains("anomalous"), r.err());
    }

    @Test
    void evaluatePrintsTheConfusionMatrix() {
        CliRun r = CliRun.of("evaluate", "-m", keyModel.toString(),
                "--abnormal", HDFS.resolve("hdfs_test_abnormal_sample").toString(),
                "--normal", HDFS.resolve("hdfs_test_normal_sample").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("TP ") && r.out().contains("FPR") && r.out().contains("ROC AUC"), r.out());
        assertTrue(r.out().contains("(normal 1,000, anomalous 2,000)"), r.out());
    }

    @Test
    void rawLogsAreParsedGroupedByBlockAndScoredWithTheStoredTemplates() throws Exception {
        Path model = dir.resolve("raw-model");
        String log = HDFS.resolve("HDFS_5k.log").toString();
        String labels = HDFS.resolve("HDFS_5k_labels.csv").toString();
        CliRun t = CliRun.of(concat(new String[]{"train", "deeplog", "--logs", log, "--format", "hdfs", "--session-id",
                "blk_-?\\d+", "--labels", labels, "-p", "history=5", "-o", model.toString()}, TINY));
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(model.resolve(SequenceInput.STORE_FILE)));
        assertNotNull(ModelManifest.read(model).templateStoreHash());

        CliRun e = CliRun.of("evaluate", "-m", model.toString(), "--logs", log, "--format", "hdfs", "--session-id",
                "blk_-?\\d+", "--labels", labels);
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("(normal 100, anomalous 10)"), e.out());

        Path out = dir.resolve("raw-anomalies.jsonl");
        CliRun d = CliRun.of("detect", "-m", model.toString(), "--logs", log, "--format", "hdfs", "--session-id",
                "blk_-?\\d+", "-o", out.toString());
        assertEquals(0, d.code(), d.err());
        String text = Files.readString(out);
        assertTrue(text.contains("\"line\""), "explanations should quote log lines");
        assertTrue(text.contains("blk_"), text);

        // a template store other than the one the keys were made with: its ids would mean other templates
        io.anomalog.core.template.TemplateStore other = io.anomalog.core.template.TemplateStore.load(
                model.resolve(SequenceInput.STORE_FILE));
        other.create("a template the model never knew <*>");
        other.save(model.resolve(SequenceInput.STORE_FILE));
        CliRun m = CliRun.of("detect", "-m", model.toString(), "--logs", log, "--format", "hdfs", "--session-id",
                "blk_-?\\d+", "-o", dir.resolve("never.jsonl").toString());
        assertEquals(2, m.code(), m.err());
        assertTrue(m.err().contains("was trained with template store") && m.err().contains("use the store saved"),
                m.err());
    }

    @Test
    void benchDeepLogWritesItsReportWithTheRawTextSection() throws Exception {
        Path data = openStackData();
        Path report = dir.resolve("deeplog.md");
        CliRun r = CliRun.of(concat(new String[]{"bench", "deeplog", "--protocol", "openstack-deeplog", "--data", data.toString(),
                "--raw-logs", HDFS.resolve("HDFS_5k.log").toString(), "--raw-labels",
                HDFS.resolve("HDFS_5k_labels.csv").toString(), "-o", report.toString()}, TINY));
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(report);
        assertTrue(md.contains("| openstack-deeplog |") && md.contains("| raw text: HDFS_5k.log |"), md);
        assertTrue(md.contains("anomalog bench deeplog --protocol openstack-deeplog"), md);
        // the charts lie beside the report, one folder per run, and the report names them relative to itself
        for (String folder : new String[]{"openstack-deeplog", "raw-text"}) {
            for (String png : new String[]{"roc.png", "roc-log-fpr.png", "pr.png", "scores-deeplog.png"}) {
                assertTrue(md.contains("](deeplog/" + folder + "/" + png + ")"), folder + "/" + png);
                assertTrue(Files.isRegularFile(dir.resolve("deeplog").resolve(folder).resolve(png)), folder + "/" + png);
            }
        }
        assertTrue(md.contains("| top-9 (paper) |"), md);
    }

    @Test
    void evaluateTrainsOnAProtocolAndTheSavedModelGivesTheSameFigures() throws Exception {
        Path data = openStackData();
        Path saved = dir.resolve("openstack-model");
        CliRun trained = CliRun.of(concat(new String[]{"evaluate", "--protocol", "openstack-deeplog", "--data",
                data.toString(), "--save-model", saved.toString()}, TINY));
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().startsWith("protocol openstack-deeplog, method deeplog (trained in "), trained.out());
        assertTrue(trained.out().contains("test sequences 2,050 scored in"), trained.out());
        CliRun given = CliRun.of("evaluate", "--protocol", "openstack-deeplog", "--data", data.toString(), "-m",
                saved.toString());
        assertEquals(0, given.code(), given.err());
        String figures = trained.out().substring(trained.out().indexOf("TP "));
        assertEquals(figures, given.out().substring(given.out().indexOf("TP ")));
    }

    @Test
    void badInputGivesClearErrors() throws Exception {
        CliRun missing = CliRun.of("detect", "-m", dir.resolve("no-such-model").toString(), "--sessions",
                HDFS.resolve("hdfs_test_normal_sample").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Path bad = dir.resolve("bad-keys");
        Files.writeString(bad, "5 5 22 11 9\n5 x 22\n\n99 98 97\n");
        CliRun mixed = CliRun.of("detect", "-m", keyModel.toString(), "--all", "--sessions", bad.toString());
        assertEquals(0, mixed.code(), mixed.err());
        assertTrue(mixed.err().contains("2 line(s) not used") && mixed.err().contains("not a log key: 'x'")
                && mixed.err().contains("no log keys on the line"), mixed.err());
        assertTrue(mixed.out().contains("bad-keys:4") && mixed.out().contains("never seen in training"), mixed.out());

        CliRun logsOnKeyModel = CliRun.of("detect", "-m", keyModel.toString(), "--logs",
                HDFS.resolve("HDFS_5k.log").toString(), "--format", "hdfs", "--session-id", "blk_-?\\d+");
        assertEquals(2, logsOnKeyModel.code());
        assertTrue(logsOnKeyModel.err().contains("no template store"), logsOnKeyModel.err());

        CliRun noFormat = CliRun.of("train", "deeplog", "--logs", HDFS.resolve("HDFS_5k.log").toString(), "-o",
                dir.resolve("x").toString());
        assertEquals(2, noFormat.code());

        CliRun unknownProtocol = CliRun.of("evaluate", "--protocol", "no-such-protocol");
        assertEquals(2, unknownProtocol.code());
        assertTrue(unknownProtocol.err().contains("hdfs-deeplog"), unknownProtocol.err());

        CliRun badParam = CliRun.of("train", "deeplog", "--sessions", HDFS.resolve("hdfs_train").toString(), "-p", "histroy=3",
                "-o", dir.resolve("y").toString());
        assertEquals(2, badParam.code());
        assertTrue(badParam.err().contains("histroy"), badParam.err());
    }

    @Test
    void rawLogsWithoutSessionIdsAreGroupedIntoSlidingOrTimeWindows() throws Exception {
        String log = HDFS.resolve("HDFS_5k.log").toString();
        Path model = dir.resolve("window-model");
        CliRun t = CliRun.of(concat(new String[]{"train", "deeplog", "--logs", log, "--format", "hdfs", "--window",
                "20,10", "-p", "history=5", "-o", model.toString()}, TINY));
        assertEquals(0, t.code(), t.err());
        long lines;
        try (var l = Files.lines(HDFS.resolve("HDFS_5k.log"))) {
            lines = l.count();
        }
        // windows of 20 events starting every 10 until the last line is covered; then side by side
        long overlapping = (Math.max(0, lines - 20) + 9) / 10 + 1;
        long sideBySide = (lines + 19) / 20;
        assertTrue(t.err().contains(String.format(java.util.Locale.ROOT, "%,d lines -> %,d windows", lines, overlapping)),
                t.err());
        Path out = dir.resolve("window-anomalies.jsonl");
        CliRun d = CliRun.of("detect", "-m", model.toString(), "--logs", log, "--format", "hdfs", "--window", "20",
                "-o", out.toString());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.err().contains(String.format(java.util.Locale.ROOT, "%,d lines -> %,d windows", lines, sideBySide)),
                d.err());

        CliRun tw = CliRun.of("detect", "-m", model.toString(), "--logs", log, "--format", "hdfs", "--time-window",
                "PT1M", "--timestamp-format", "yyMMdd HHmmss", "-o", dir.resolve("tw.jsonl").toString());
        assertEquals(0, tw.code(), tw.err());
        assertTrue(tw.err().matches("(?s).*" + String.format(java.util.Locale.ROOT, "%,d", lines)
                + " lines -> [1-9][\\d,]* windows.*"), tw.err());

        for (String[] bad : new String[][]{
                {"--window", "0"}, {"--window", "20,x"}, {"--time-window", "0s"},
                {"--time-window", "soon", "--timestamp-format", "yyMMdd HHmmss"},
                {"--window", "20", "--session-id", "blk_-?\\d+"},
                {"--window", "20", "--labels", HDFS.resolve("HDFS_5k_labels.csv").toString()}}) {
            CliRun r = CliRun.of(concat(new String[]{"detect", "-m", model.toString(), "--logs", log, "--format", "hdfs"},
                    bad));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains("--window") || r.err().contains("--time-window") || r.err().contains("--labels"),
                    r.err());
        }
    }

    @Test
    void loghubStructuredCsvGivesKeysAndTemplateTextsGroupedLikeRawLogs() throws Exception {
        Path csv = REPO.resolve("data/loghub/HDFS/HDFS_2k.log_structured.csv");
        Path model = dir.resolve("structured-model");
        CliRun t = CliRun.of(concat(new String[]{"train", "deeplog", "--structured", csv.toString(), "--session-id",
                "blk_-?\\d+", "-p", "history=3", "-o", model.toString()}, TINY));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().matches("(?s).*2,000 events -> [1-9][\\d,]* sessions, [1-9]\\d* templates.*"), t.err());
        // the EventTemplate column became the template texts of the explanations
        String texts = Files.readString(model.resolve("templates.json"));
        assertTrue(texts.contains("PacketResponder <*> for block blk_<*> terminating"), texts);

        CliRun w = CliRun.of("detect", "-m", model.toString(), "--structured", csv.toString(), "--window", "50",
                "-o", dir.resolve("structured.jsonl").toString());
        assertEquals(0, w.code(), w.err());
        assertTrue(w.err().contains("2,000 events -> 40 windows"), w.err());

        CliRun both = CliRun.of("detect", "-m", model.toString(), "--structured", csv.toString(), "--sessions",
                HDFS.resolve("hdfs_train").toString(), "--window", "50");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give one kind of input"), both.err());
        // without grouping options, the model's own grouping (recorded when it was trained) is used
        CliRun asTrained = CliRun.of("detect", "-m", model.toString(), "--structured", csv.toString(), "-o",
                dir.resolve("as-trained.jsonl").toString());
        assertEquals(0, asTrained.code(), asTrained.err());
        assertTrue(asTrained.err().matches("(?s).*2,000 events -> [1-9][\\d,]* sessions.*"), asTrained.err());
    }
}
