package io.anomalog.bench.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HadoopContainersTest {

    static final List<String> LABELS = List.of(
            "The logs are generated from a Hadoop cluster.", "", "### WordCount", "Normal:",
            "+ application_1_0001", "+ application_1_0002", "", "Machine down:", "+ application_1_0003", "",
            "Network disconnection:", "+ application_1_0004", "", "Disk full:", "+ application_1_0005");

    @Test
    void theLabelFileGivesEachApplicationTheKindOfItsHeading() {
        Map<String, String> kinds = HadoopContainers.applicationKinds(LABELS);
        assertEquals(Map.of("application_1_0001", "normal", "application_1_0002", "normal",
                "application_1_0003", "machine-down", "application_1_0004", "network-disconnection",
                "application_1_0005", "disk-full"), kinds);
    }

    private static void container(Path root, String app, String name, int lines) throws Exception {
        Path dir = Files.createDirectories(root.resolve("hadoop/raw").resolve(app));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(String.format("2015-10-18 18:01:%02d,100 INFO [main] org.apache.hadoop.mapred.Task: "
                    + "Task attempt_%d done in %d ms%n", i % 60, i, 10 + i));
        }
        b.append("java.io.IOException: a stack trace line without a header\n");
        Files.writeString(dir.resolve(name + ".log"), b, StandardCharsets.UTF_8);
    }

    @Test
    void eachContainerIsOneSessionLabelledByItsApplicationAndHalfTheNormalOnesTrain(@TempDir Path root)
            throws Exception {
        Files.createDirectories(root.resolve("hadoop/raw"));
        Files.write(root.resolve("hadoop/raw/abnormal_label.txt"), LABELS);
        for (int c = 1; c <= 3; c++) {
            container(root, "application_1_0001", "container_1_0001_01_00000" + c, 5 + c);
            container(root, "application_1_0003", "container_1_0003_01_00000" + c, 4);
        }
        container(root, "application_9_0009", "container_9_0009_01_000001", 4);    // not in the label file
        HadoopContainers protocol = new HadoopContainers();
        Split split = protocol.load(DataDir.of(root), 7);
        assertEquals(1, split.train().size(), "half of the 3 normal containers, rounded down");
        assertEquals(5, split.test().size());
        assertEquals(2, split.test().stream().filter(s -> s.label() == Label.NORMAL).count());
        assertEquals(3, protocol.kinds().values().stream().filter("machine-down"::equals).count());
        for (Sequence s : split.test()) {
            assertTrue(s.id().startsWith("application_1_000"), s.id());
            assertEquals(s.keys().length, s.events().size());
        }
        Sequence first = split.test().stream().filter(s -> s.id().endsWith("0003_01_000001")).findFirst()
                .orElseThrow();
        assertEquals(5, first.keys().length, "every line is an event, the headerless one too");
        assertEquals(1, split.notes().get("applicationsWithoutLabel"));
        assertEquals(6L, split.notes().get("linesWithoutHeader"), "one per labelled container");
    }
}
