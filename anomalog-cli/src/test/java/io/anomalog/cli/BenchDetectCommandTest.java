package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BenchDetectCommandTest {

    private static Path data() {
        Path root = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isDirectory(root.resolve("hdfs/logrobust")), "datasets not present");
        return root;
    }

    @Test
    void benchesTwoMethodsOnHdfsSupervisedAndWritesAReport(@TempDir Path report) {
        int code = AnomalogCli.execute("bench", "detect", "--protocol", "hdfs-supervised", "--methods", "pca,tree",
                "--data", data().toString(), "--report", report.toString());
        assertEquals(0, code);
        assertTrue(Files.isRegularFile(report.resolve("report.md")));
        for (String png : new String[]{"roc.png", "roc-log-fpr.png", "pr.png", "scores-pca.png", "confusion-tree.png"}) {
            assertTrue(Files.isRegularFile(report.resolve(png)), png);
        }
    }

    @Test
    void unknownProtocolOrMethodIsAUsageError() {
        assertEquals(AnomalogCli.EXIT_USAGE, AnomalogCli.execute("bench", "detect", "--protocol", "nope"));
        assertEquals(AnomalogCli.EXIT_USAGE, AnomalogCli.execute("bench", "detect", "--protocol", "hdfs-supervised",
                "--methods", "nope", "--data", data().toString()));
        assertEquals(AnomalogCli.EXIT_USAGE, AnomalogCli.execute("bench", "detect", "--protocol", "hdfs-supervised",
                "-p", "nodot=1", "--data", data().toString()));
    }

    @Test
    void trainDetectEvaluateWorkForABaseline(@TempDir Path model) {
        Path hdfs = data().resolve("hdfs/deeplog");
        assertEquals(0, AnomalogCli.execute("train", "invariants", "--sessions", hdfs.resolve("hdfs_train").toString(),
                "-o", model.toString()));
        assertTrue(Files.isRegularFile(model.resolve("manifest.json")));
        assertEquals(0, AnomalogCli.execute("evaluate", "-m", model.toString(),
                "--labelled", data().resolve("hdfs/logrobust/robust_log_valid.csv").toString()));
        assertEquals(AnomalogCli.EXIT_USAGE, AnomalogCli.execute("train", "pca", "--sessions",
                hdfs.resolve("hdfs_train").toString(), "-p", "componets=2", "-o", model.resolve("x").toString()));
    }
}
