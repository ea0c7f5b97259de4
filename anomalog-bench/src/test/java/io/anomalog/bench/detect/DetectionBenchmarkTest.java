package io.anomalog.bench.detect;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionBenchmarkTest {

    /**
     * A constructed protocol: normal sessions open and close as often (1 ... 2) with reads (3) between;
     * anomalous ones lose a close and carry an error key (9).
     */
    static final class ToyProtocol implements Protocol {
        private final boolean anomaliesInTraining;
        private final long projectedNormals;

        ToyProtocol(boolean anomaliesInTraining, long projectedNormals) {
            this.anomaliesInTraining = anomaliesInTraining;
            this.projectedNormals = projectedNormals;
        }

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public String description() {
            return "constructed sessions";
        }

        private static List<Sequence> sessions(String prefix, int n, double anomalyShare, Random r) {
            List<Sequence> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = 1 + r.nextInt(3);
                List<Integer> keys = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    keys.add(1);
                }
                for (int j = 0; j < 1 + r.nextInt(4); j++) {
                    keys.add(3);
                }
                boolean anomalous = r.nextDouble() < anomalyShare;
                for (int j = 0; j < (anomalous ? k - 1 : k); j++) {
                    keys.add(2);
                }
                if (anomalous) {
                    keys.add(9);
                }
                out.add(new Sequence(prefix + i, keys.stream().mapToInt(Integer::intValue).toArray(),
                        Label.of(anomalous)));
            }
            return out;
        }

        @Override
        public Split load(DataDir data, long seed) {
            Random r = new Random(seed);
            List<Sequence> train = sessions("train", 200, anomaliesInTraining ? 0.5 : 0, r);
            List<Sequence> test = sessions("test", 300, 0.1, r);
            List<Sequence> all = new ArrayList<>(train);
            all.addAll(test);
            return new Split("toy", train, List.of(), test, KeyVocabulary.of(all), projectedNormals,
                    Map.of("train", train.size(), "test", test.size()));
        }
    }

    private static BenchmarkResult run(Protocol p, List<String> methods) {
        return DetectionBenchmark.forProtocol(p).seed(3).methods(methods).command("test").run();
    }

    @Test
    void everyMethodSeesTheSameSplitAndIsMeasured() {
        BenchmarkResult r = run(new ToyProtocol(true, 0), List.of("pca", "invariants", "lr", "tree"));
        assertEquals(4, r.results().size());
        long testSize = r.split().test().size();
        for (MethodResult m : r.results()) {
            assertEquals(testSize, m.confusion().total(), m.method());
            assertEquals(m.supervised() ? 200 : r.split().count(r.split().train(), Label.NORMAL), m.trainSequences());
            assertTrue(m.auc() > 0.9, m.method() + " AUC " + m.auc());
            assertTrue(Double.isNaN(m.projectedF1()));
        }
        String table = ResultTable.text(r);
        assertTrue(table.contains("invariants") && table.contains("ROC-AUC"), table);
    }

    @Test
    void sameSeedSameNumbers() {
        BenchmarkResult a = run(new ToyProtocol(true, 0), List.of("iforest", "svm-linear"));
        BenchmarkResult b = run(new ToyProtocol(true, 0), List.of("iforest", "svm-linear"));
        for (int i = 0; i < a.results().size(); i++) {
            assertEquals(a.results().get(i).confusion(), b.results().get(i).confusion());
            assertArrayEquals(a.results().get(i).scores(), b.results().get(i).scores());
        }
    }

    @Test
    void supervisedMethodsAreSkippedWithoutAnomalousTrainingData() {
        BenchmarkResult r = run(new ToyProtocol(false, 0), List.of());
        assertTrue(r.results().stream().noneMatch(MethodResult::supervised));
        assertTrue(r.results().stream().anyMatch(m -> m.method().equals("pca")));
        assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("lr:")), r.skipped().toString());
        AnomalogException e = assertThrows(AnomalogException.class, () -> run(new ToyProtocol(false, 0), List.of("lr")));
        assertTrue(e.getMessage().contains("supervised"), e.getMessage());
    }

    @Test
    void projectedF1ScalesFalsePositivesByTheMeasuredRate() {
        // 90 TP, 10 FN; 5 FP of 1000 normals (FPR 0.005) -> 2,500 FP among 500,000: precision 90/2590
        ConfusionMatrix cm = new ConfusionMatrix(90, 5, 995, 10);
        double p = 90.0 / 2590;
        double expected = 2 * p * 0.9 / (p + 0.9);
        assertEquals(expected, MethodResult.projectedF1(cm, 500_000), 1e-12);
        assertTrue(Double.isNaN(MethodResult.projectedF1(cm, 0)));
        BenchmarkResult r = run(new ToyProtocol(true, 100_000), List.of("zscore"));
        assertTrue(Double.isFinite(r.results().get(0).projectedF1()));
        assertTrue(ResultTable.text(r).contains("projected F1"));
    }

    @Test
    void perMethodParametersReachTheTrainer() {
        BenchmarkResult r = DetectionBenchmark.forProtocol(new ToyProtocol(true, 0)).methods(List.of("zscore"))
                .params(Map.of("zscore", Map.of("threshold", "1000"))).run();
        assertEquals(0, r.results().get(0).confusion().tp() + r.results().get(0).confusion().fp());
        assertThrows(AnomalogException.class, () -> DetectionBenchmark.forProtocol(new ToyProtocol(true, 0))
                .methods(List.of("zscore")).params(Map.of("pca", Map.of("components", "2"))).run());
    }

    @Test
    void reportHasMarkdownHtmlAndCharts(@TempDir Path dir) throws Exception {
        BenchmarkResult r = run(new ToyProtocol(true, 0), List.of("pca", "lr"));
        BenchmarkReport.write(r, dir);
        String md = Files.readString(dir.resolve(BenchmarkReport.MARKDOWN));
        String html = Files.readString(dir.resolve(BenchmarkReport.HTML));
        assertTrue(md.contains("| pca |") && md.contains("roc.png") && md.contains("Generated by `test`"), md);
        assertTrue(html.contains("<img src=\"confusion-lr.png\""), html);
        var json = io.anomalog.core.io.Json.MAPPER.readTree(dir.resolve(BenchmarkReport.JSON).toFile());
        assertEquals("toy", json.get("protocol").asText());
        var pca = json.get("runs").get(0).get("methods").get(0);
        assertEquals("pca", pca.get("method").asText());
        assertEquals(r.results().get(0).confusion().tp(), pca.get("confusion").get("tp").asLong());
        assertEquals(r.results().get(0).confusion().f1(), pca.get("confusion").get("f1").asDouble(), 1e-12);
        for (String png : List.of("roc.png", "pr.png", "scores-pca.png", "scores-lr.png", "confusion-pca.png",
                "confusion-lr.png")) {
            byte[] bytes = Files.readAllBytes(dir.resolve(png));
            assertTrue(bytes.length > 1000, png);
            assertEquals((byte) 0x89, bytes[0], png + " is a PNG");
            assertEquals('P', bytes[1]);
        }
    }
}
