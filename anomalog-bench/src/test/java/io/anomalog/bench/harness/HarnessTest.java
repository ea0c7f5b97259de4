package io.anomalog.bench.harness;

import io.anomalog.core.detect.Detector;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HarnessTest {

    private static HarnessResult run(ToyProtocol p, List<String> methods) throws Exception {
        return Harness.on(p).seed(3).methods(methods).command("test").run();
    }

    @Test
    void everyMethodSeesTheSameSplitAndIsMeasuredOnEveryLabelledTestSequence() throws Exception {
        HarnessResult r = run(new ToyProtocol(true, 0), List.of("pca", "invariants", "lr", "tree"));
        assertEquals(List.of("pca", "invariants", "lr", "tree"), r.results().stream().map(MethodResult::method).toList());
        long testSize = r.split().test().size();
        for (MethodResult m : r.results()) {
            assertEquals(testSize, m.confusion().total(), m.method());
            assertEquals(m.confusion(), m.test().confusion(), m.method());
            assertEquals(m.supervised() ? 200 : r.split().count(r.split().train(), Label.NORMAL), m.trainSequences());
            assertTrue(m.auc() > 0.9, m.method() + " AUC " + m.auc());
            assertNull(m.projection());
            assertTrue(Double.isNaN(m.projectedF1()));
            assertFalse(m.parameters().isEmpty(), m.method() + " recorded no parameters");
        }
        assertEquals("test", r.command());
        assertTrue(r.modelSeedRuns().isEmpty());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws Exception {
        HarnessResult a = run(new ToyProtocol(true, 0), List.of("iforest", "svm-linear"));
        HarnessResult b = run(new ToyProtocol(true, 0), List.of("iforest", "svm-linear"));
        for (int i = 0; i < a.results().size(); i++) {
            assertEquals(a.results().get(i).confusion(), b.results().get(i).confusion());
            assertArrayEquals(a.results().get(i).test().scores(), b.results().get(i).test().scores());
        }
    }

    @Test
    void supervisedMethodsAreSkippedWithoutAnomalousTrainingDataAndRefusedWhenAskedFor() throws Exception {
        HarnessResult r = run(new ToyProtocol(false, 0), List.of());
        assertTrue(r.results().stream().noneMatch(MethodResult::supervised));
        assertTrue(r.results().stream().anyMatch(m -> m.method().equals("pca")));
        assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("lr:")), r.skipped().toString());
        assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("reconstruction:")), r.skipped().toString());
        AnomalogException e = assertThrows(AnomalogException.class, () -> run(new ToyProtocol(false, 0), List.of("lr")));
        assertTrue(e.getMessage().contains("supervised"), e.getMessage());
    }

    @Test
    void perMethodParametersReachTheTrainerAndParametersForAMethodNotRunAreRefused() throws Exception {
        HarnessResult r = Harness.on(new ToyProtocol(true, 0)).methods(List.of("zscore"))
                .params(Map.of("zscore", Map.of("threshold", "1000"))).run();
        assertEquals(0, r.results().get(0).confusion().tp() + r.results().get(0).confusion().fp());
        assertEquals(1000.0, ((Number) r.results().get(0).parameters().get("threshold")).doubleValue());
        assertThrows(AnomalogException.class, () -> Harness.on(new ToyProtocol(true, 0))
                .methods(List.of("zscore")).params(Map.of("pca", Map.of("components", "2"))).run());
    }

    @Test
    void aSplitWithProjectedNormalsGivesEveryResultItsProjection() throws Exception {
        HarnessResult r = run(new ToyProtocol(true, 100_000), List.of("zscore", "pca"));
        for (MethodResult m : r.results()) {
            assertEquals(Projection.of(m.confusion(), 100_000), m.projection());
            assertEquals(m.projection().f1(), m.projectedF1());
        }
    }

    @Test
    void unlabelledTestSequencesAreNotJudged() throws Exception {
        Split toy = new ToyProtocol(true, 0).load(null, 5);
        List<Sequence> test = new ArrayList<>(toy.test());
        test.add(new Sequence("unlabelled-1", new int[]{1, 3, 2}, Label.UNKNOWN));
        test.add(new Sequence("unlabelled-2", new int[]{1, 9}, Label.UNKNOWN));
        Split withUnknown = new Split("toy", toy.train(), List.of(), test, toy.vocabulary(), 0, toy.notes());
        MethodResult m = Harness.on(withUnknown).methods(List.of("pca")).run().results().get(0);
        assertEquals(toy.test().size(), m.test().size());
        assertEquals(toy.test().size(), m.confusion().total());
        Split noLabels = new Split("none", toy.train(), List.of(), test.subList(test.size() - 2, test.size()),
                toy.vocabulary(), 0, Map.of());
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> Harness.on(noLabels).methods(List.of("pca")).run());
        assertTrue(e.getMessage().contains("no labelled test sequences"), e.getMessage());
    }

    @Test
    void aSavedModelScoredAsItIsGivesTheFiguresOfTheTrainedOne(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        HarnessResult trained = Harness.on(new ToyProtocol(true, 0)).seed(4).methods(List.of("lr")).saveModel(model)
                .run();
        assertTrue(Files.isRegularFile(model.resolve("manifest.json")));
        HarnessResult given = Harness.on(new ToyProtocol(true, 0)).seed(4).model(model).run();
        MethodResult a = trained.results().get(0);
        MethodResult b = given.results().get(0);
        assertEquals("lr", b.method());
        assertEquals(0, b.trainSequences());
        assertEquals(a.confusion(), b.confusion());
        assertArrayEquals(a.test().scores(), b.test().scores());
        assertThrows(AnomalogException.class,
                () -> Harness.on(new ToyProtocol(true, 0)).model(model).methods(List.of("pca")).run());
        assertThrows(AnomalogException.class,
                () -> Harness.on(new ToyProtocol(true, 0)).methods(List.of("lr", "pca")).saveModel(dir.resolve("x")).run());
    }

    @Test
    void everyModelSeedTrainsItsOwnModelAndTheHeadlineStandsForTheSeedItRecorded() throws Exception {
        ToyProtocol toy = new ToyProtocol(true, 0);
        MethodResult plain = Harness.on(toy).methods(List.of("iforest")).run().results().get(0);
        long defaultSeed = ((Number) plain.parameters().get(Harness.SEED_PARAMETER)).longValue();
        List<Long> seeds = List.of(defaultSeed + 1, defaultSeed, defaultSeed + 2);
        HarnessResult r = Harness.on(toy).methods(List.of("iforest")).modelSeeds(seeds).run();
        List<HarnessResult.SeedRun> runs = r.seedRuns("iforest");
        assertEquals(seeds, runs.stream().map(HarnessResult.SeedRun::seed).toList());
        assertSame(r.results().get(0), runs.get(1).result());
        for (HarnessResult.SeedRun run : runs) {
            assertEquals(run.seed(), ((Number) run.result().parameters().get(Harness.SEED_PARAMETER)).longValue());
        }
        // an isolation forest grown from another seed scores differently
        assertFalse(java.util.Arrays.equals(runs.get(0).result().test().scores(), runs.get(1).result().test().scores()));
        SeedSpread spread = SeedSpread.overModelSeeds(runs);
        assertEquals(3, spread.runs());
        assertEquals(runs.stream().mapToDouble(x -> x.result().auc()).average().orElseThrow(), spread.auc().mean(), 1e-12);
        // a method that reads no seed refuses one
        assertThrows(AnomalogException.class,
                () -> Harness.on(toy).methods(List.of("zscore")).modelSeeds(List.of(1L)).run());
    }

    @Test
    void probesSeeTheTrainedModelAndTheirFindingsAreFiledByName() throws Exception {
        List<String> seen = new ArrayList<>();
        ModelProbe<Integer> testSize = new ModelProbe<>() {
            @Override
            public String name() {
                return "test-size";
            }

            @Override
            public Optional<Integer> examine(Detector detector, Split split, List<Sequence> test, ScoredTest scored) {
                seen.add(detector.method());
                assertEquals(test.size(), scored.size());
                assertEquals(detector.scoreAll(test).get(0).score(), scored.score(0));
                return detector.method().equals("pca") ? Optional.empty() : Optional.of(test.size());
            }
        };
        HarnessResult r = Harness.on(new ToyProtocol(true, 0)).methods(List.of("pca", "tree")).probes(List.of(testSize))
                .run();
        assertEquals(List.of("pca", "tree"), seen);
        assertEquals(Optional.empty(), r.results().get(0).probe(testSize));
        assertEquals(Optional.of(300), r.results().get(1).probe(testSize));
        assertNotEquals(r.results().get(0).probes(), r.results().get(1).probes());
    }
}
