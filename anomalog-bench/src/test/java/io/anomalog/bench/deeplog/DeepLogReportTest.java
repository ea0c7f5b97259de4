package io.anomalog.bench.deeplog;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.protocol.RawLogProtocol;
import io.anomalog.bench.report.Charts;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench deeplog}'s view on the bundled HDFS samples, with a small network trained for a few epochs. */
class DeepLogReportTest {

    static final Path HDFS = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/hdfs");
    static final Map<String, String> TINY = Map.of("epochs", "4", "hidden", "16", "patience", "2");

    private static Map<String, Label> labels(Path csv) throws Exception {
        Map<String, Label> out = new HashMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            out.put(f[0], f[1].equals("Anomaly") ? Label.ANOMALOUS : Label.NORMAL);
        }
        return out;
    }

    @Test
    void theRawTextRunIsReportedWithItsSplitAndChartsBesideTheReport(@TempDir Path dir) throws Exception {
        RawLogProtocol raw = new RawLogProtocol(HDFS.resolve("HDFS_5k.log"), LogFormats.byName("hdfs"), "blk_-?\\d+",
                labels(HDFS.resolve("HDFS_5k_labels.csv")), "HDFS_5k_labels.csv");
        Path out = dir.resolve("deeplog.md");
        DeepLogReport report = new DeepLogReport(DataDir.of(dir), 42, TINY, List.of(), Progress.NONE, line -> { });
        String md = report.write(List.of(), raw, out, "anomalog bench deeplog --protocol none");
        assertEquals(md, Files.readString(out));
        long lines;
        try (var l = Files.lines(HDFS.resolve("HDFS_5k.log"))) {
            lines = l.count();
        }
        assertTrue(md.contains("Written by `anomalog bench deeplog --protocol none`"), md);
        assertTrue(md.contains("| raw text: HDFS_5k.log |"), md);
        assertTrue(md.contains(String.format(Locale.ROOT, "From raw lines: %,d lines (format hdfs) grouped by block id "
                + "(`blk_-?\\d+`), labels from HDFS_5k_labels.csv.", lines)), md);
        for (String png : List.of(Charts.ROC, Charts.ROC_LOG_FPR, Charts.PRECISION_RECALL, Charts.scores("deeplog"))) {
            assertTrue(md.contains("](deeplog/raw-text/" + png + ")"), png + " not in " + md);
            assertTrue(Files.size(dir.resolve("deeplog/raw-text").resolve(png)) > 1000, png);
        }
    }

    @Test
    void theDecisionRulesCountTheModelsOwnRuleAsItsVerdictsDo() throws Exception {
        List<Sequence> train = KeySequenceReader.read(HDFS.resolve("hdfs_train"), Label.NORMAL).sequences()
                .subList(0, 600);
        List<Sequence> test = new ArrayList<>(KeySequenceReader.read(HDFS.resolve("hdfs_test_abnormal_sample"),
                Label.ANOMALOUS).sequences());
        test.addAll(KeySequenceReader.read(HDFS.resolve("hdfs_test_normal_sample"), Label.NORMAL).sequences());
        List<Sequence> all = new ArrayList<>(train);
        all.addAll(test);
        Split split = new Split("hdfs-sample", train, List.of(), test, KeyVocabulary.of(all), 100_000, Map.of());
        HarnessResult r = Harness.on(split).methods(List.of("deeplog")).params(Map.of("deeplog", TINY))
                .probes(List.of(DeepLogReport.RULES)).run();
        MethodResult m = r.results().get(0);
        List<DecisionRules.Rule> rules = m.probe(DeepLogReport.RULES).orElseThrow();
        assertEquals(9 + DecisionRules.THRESHOLDS.length + 2, rules.size());
        assertEquals("top-9 (paper)", rules.get(8).name());
        // the model's own rule is top-9: the sweep's row for it is its confusion matrix
        assertEquals(9, ((Number) m.parameters().get("topG")).intValue());
        assertEquals(m.confusion(), rules.get(8).matrix());
        for (int g = 1; g < 9; g++) {
            ConfusionMatrix wider = rules.get(g).matrix();
            ConfusionMatrix narrower = rules.get(g - 1).matrix();
            assertTrue(wider.fp() <= narrower.fp() && wider.tp() <= narrower.tp(), "top-" + (g + 1));
            assertEquals(test.size(), wider.total());
        }
        String table = DeepLogReport.rulesTable(m, rules, split.projectedNormals());
        assertTrue(table.contains("| top-9 (paper) |") && table.contains("projected F1 |")
                && table.contains("Calibration used"), table);
    }
}
