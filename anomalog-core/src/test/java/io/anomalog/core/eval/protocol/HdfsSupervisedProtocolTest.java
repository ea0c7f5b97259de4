package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HdfsSupervisedProtocolTest {

    private static DataDir data;
    private static Split split;

    @BeforeAll
    static void load() {
        Path root = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isRegularFile(root.resolve(HdfsSupervisedProtocol.TRAIN_FILE)), "datasets not present");
        data = DataDir.of(root);
        split = Protocols.byName("hdfs-supervised").load(data, 42);
    }

    @Test
    void trainingIsBalancedAndTestHasTheNaturalRatio() {
        assertEquals(2000, split.count(split.train(), Label.NORMAL));
        assertEquals(2000, split.count(split.train(), Label.ANOMALOUS));
        long normal = split.count(split.test(), Label.NORMAL);
        long anomalous = split.count(split.test(), Label.ANOMALOUS);
        assertEquals(5000, normal);
        assertEquals(Math.round(normal * 16_838.0 / 558_223.0), anomalous);
        assertTrue(split.vocabulary().size() > 10);
    }

    @Test
    void trainAndTestAreDisjoint() {
        Set<String> trainIds = new HashSet<>();
        split.train().forEach(s -> trainIds.add(s.id()));
        assertEquals(split.train().size(), trainIds.size());
        split.test().forEach(s -> assertTrue(!trainIds.contains(s.id()), s.id() + " in train and test"));
        // anomalies: no key sequence is used more often than the full anomaly file holds it
        Map<String, Integer> available = new HashMap<>();
        for (Sequence s : KeySequenceReader.read(data.file(HdfsSupervisedProtocol.ABNORMAL_FILE), Label.ANOMALOUS)
                .sequences()) {
            available.merge(Arrays.toString(s.keys()), 1, Integer::sum);
        }
        Map<String, Integer> used = new HashMap<>();
        for (List<Sequence> part : List.of(split.train(), split.test())) {
            part.stream().filter(s -> s.label() == Label.ANOMALOUS)
                    .forEach(s -> used.merge(Arrays.toString(s.keys()), 1, Integer::sum));
        }
        used.forEach((k, n) -> assertTrue(n <= available.getOrDefault(k, 0), k + " used " + n + " times"));
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Split again = new HdfsSupervisedProtocol().load(data, 42);
        assertEquals(split.train(), again.train());
        assertEquals(split.test(), again.test());
        Split other = new HdfsSupervisedProtocol().load(data, 7);
        assertNotEquals(split.train(), other.train());
    }

    @Test
    void missingFilesAreClearErrors(@TempDir Path empty) {
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> new HdfsSupervisedProtocol().load(DataDir.of(empty), 1));
        assertTrue(e.getMessage().contains(HdfsSupervisedProtocol.TRAIN_FILE), e.getMessage());
    }
}
