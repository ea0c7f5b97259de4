package io.anomalog.stream.simulate;

import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundled HDFS key sessions ({@code data/hdfs}): real normal sessions (DeepLog's {@code hdfs_train}) and a
 * sample of real anomalous ones, which the simulator turns into log lines.
 *
 * @param dataDir the {@code data/hdfs} folder
 */
public record KeySessions(Path dataDir, List<Sequence> normal, List<Sequence> abnormal) {

    public static final String TRAIN = "hdfs_train";
    public static final String ABNORMAL_SAMPLE = "hdfs_test_abnormal_sample";
    public static final String TEMPLATES = "HDFS_templates.csv";

    /** The bundled {@code data/hdfs} folder: under {@code anomalog.repo}, else the working directory or above. */
    public static Path bundledDir() {
        String repo = System.getProperty("anomalog.repo");
        if (repo != null && Files.isDirectory(Path.of(repo, "data", "hdfs"))) {
            return Path.of(repo, "data", "hdfs");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data/hdfs").resolve(TRAIN))) {
                return p.resolve("data/hdfs");
            }
        }
        throw new AnomalogException("bundled data/hdfs not found: run from the anomalog folder or set -Danomalog.repo");
    }

    public static KeySessions load(Path dir) {
        for (String f : List.of(TRAIN, ABNORMAL_SAMPLE)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new AnomalogException("missing " + dir.resolve(f));
            }
        }
        List<Sequence> normal = KeySequenceReader.read(dir.resolve(TRAIN), Label.NORMAL).sequences().stream()
                .filter(s -> s.length() > 0).toList();
        List<Sequence> abnormal = KeySequenceReader.read(dir.resolve(ABNORMAL_SAMPLE), Label.ANOMALOUS).sequences()
                .stream().filter(s -> s.length() > 0 && validKeys(s)).toList();
        return new KeySessions(dir, normal, abnormal);
    }

    public static KeySessions bundled() {
        return load(bundledDir());
    }

    private static boolean validKeys(Sequence s) {
        for (int k : s.keys()) {
            if (k < 1 || k > HdfsLineRenderer.MAX_KEY) {
                return false;
            }
        }
        return true;
    }
}
