package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ATT-GRU protocols on the public datasets (skipped when the datasets folder is absent). */
class AttGruProtocolsTest {

    static DataDir data() {
        Path root = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isDirectory(root.resolve("hdfs/logrobust")) && Files.isDirectory(root.resolve("bgl/logdeep_windows")),
                "public datasets not available");
        return new DataDir(root);
    }

    @Test
    void registered() {
        assertTrue(Protocols.all().containsKey("hdfs-attgru"));
        assertTrue(Protocols.all().containsKey("bgl-supervised"));
    }

    @Test
    void hdfsSplitHasStudyRatioAndNoTrainingAnomalies() {
        Split split = Protocols.byName("hdfs-attgru").load(data(), 1);
        assertEquals(6000, split.count(split.train(), Label.NORMAL));
        assertEquals(6000, split.count(split.train(), Label.ANOMALOUS));
        assertEquals(2000, split.validation().size());
        long normal = split.count(split.test(), Label.NORMAL);
        long anomalous = split.count(split.test(), Label.ANOMALOUS);
        assertEquals(4855, normal);
        assertEquals(Math.round(normal / 49f), anomalous);
        // deterministic by seed, different for another seed
        assertEquals(split.test(), Protocols.byName("hdfs-attgru").load(data(), 1).test());
        assertTrue(!split.test().equals(Protocols.byName("hdfs-attgru").load(data(), 2).test()));
        // each anomalous test session is a distinct row of the abnormal file
        assertEquals(anomalous, split.test().stream().filter(s -> s.label() == Label.ANOMALOUS)
                .map(Sequence::id).distinct().count());
    }

    @Test
    void bglSplitIsPerClassSixtyTwentyTwenty() {
        Split split = Protocols.byName("bgl-supervised").load(data(), 1);
        long normal = split.count(split.train(), Label.NORMAL) + split.count(split.validation(), Label.NORMAL)
                + split.count(split.test(), Label.NORMAL);
        long anomalous = split.count(split.train(), Label.ANOMALOUS) + split.count(split.validation(), Label.ANOMALOUS)
                + split.count(split.test(), Label.ANOMALOUS);
        assertEquals(223_811, normal);
        assertEquals(11_861, anomalous);
        assertEquals(Math.round(11_861 * 0.2), split.count(split.test(), Label.ANOMALOUS), 1);
        // no row is in two parts (ids are file:line)
        Map<String, Integer> seen = new HashMap<>();
        for (List<Sequence> part : List.of(split.train(), split.validation(), split.test())) {
            for (Sequence s : part) {
                assertEquals(null, seen.put(s.id(), 1), "row in two parts: " + s.id());
            }
        }
        assertTrue(Arrays.stream(split.test().get(0).keys()).allMatch(k -> k >= 0 && k < 384));
    }
}
