package io.anomalog.bench.protocol;

import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.features.FeatureRows;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.simulate.ServicesSimulator;
import io.anomalog.stream.simulate.ServicesWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesProtocolTest {

    @TempDir
    static Path dir;
    static ServicesProtocol protocol;
    static Split split;

    @BeforeAll
    static void load() throws Exception {
        ServicesWriter.write(ServicesSimulator.builder().entries(60_000).days(1).anomaliesPerDay(10).seed(3).build(),
                3, dir);
        protocol = new ServicesProtocol(dir, Duration.ofMinutes(1), 4);
        split = protocol.load(null, 1);
    }

    static List<Sequence> all() {
        List<Sequence> out = new ArrayList<>(split.train());
        out.addAll(split.validation());
        out.addAll(split.test());
        return out;
    }

    static String time(Sequence s) {
        return s.id().substring(s.id().lastIndexOf('@') + 1);
    }

    /** The rows of windows.csv: one per minute and host over the span the simulation wrote. */
    static List<String> windowRows() throws Exception {
        List<String> rows = Files.readAllLines(dir.resolve("windows.csv"));
        return rows.subList(1, rows.size());
    }

    @Test
    void theWindowsAreSplitInTime70To15To15() throws Exception {
        int total = split.train().size() + split.validation().size() + split.test().size();
        assertEquals(windowRows().size(), total, "every minute of every host");
        assertTrue(total > 6 * 1400, total + " windows for six hosts over about a day");
        assertEquals(0.70, split.train().size() / (double) total, 0.01);
        assertEquals(0.15, split.validation().size() / (double) total, 0.01);
        assertTrue(time(split.train().get(split.train().size() - 1)).compareTo(time(split.validation().get(0))) < 0);
        assertTrue(time(split.validation().get(split.validation().size() - 1)).compareTo(time(split.test().get(0)))
                < 0);
    }

    @Test
    void labelsAndEntryCountsAreThoseTheSimulatorWrote() throws Exception {
        Map<String, String[]> written = new HashMap<>();
        List<String> rows = Files.readAllLines(dir.resolve("windows.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            written.put(f[2] + "@" + f[1] + "@" + f[0], f);
        }
        long anomalous = 0;
        for (Sequence s : all()) {
            String[] f = written.get(s.id());
            assertTrue(f != null, s.id());
            assertEquals(f[4].equals("Anomaly") ? Label.ANOMALOUS : Label.NORMAL, s.label(), s.id());
            FeatureRows rows1 = s.features();
            int entries = rows1.names().indexOf("entries");
            assertEquals(Long.parseLong(f[3]), rows1.raw(entries, rows1.last()[entries]), 1e-6, s.id());
            assertEquals(Long.parseLong(f[3]), s.keys().length, "one key per entry");
            if (s.label() == Label.ANOMALOUS) {
                anomalous++;
                assertEquals(f[5], String.join(";", protocol.kinds().get(s.id())));
            }
        }
        assertTrue(anomalous > 20, anomalous + " anomalous windows");
    }

    @Test
    void everyWindowCarriesTheSameColumnsStandardisedByItsSeriesNormalTrainingWindows() {
        List<String> names = split.train().get(0).features().names();
        Map<String, double[]> sums = new HashMap<>();
        for (Sequence s : all()) {
            assertEquals(names, s.features().names());
            assertTrue(s.features().rows().length <= 4);
        }
        for (Sequence s : split.train()) {
            if (s.label() == Label.NORMAL) {
                String series = s.id().substring(0, s.id().lastIndexOf('@'));
                double[] acc = sums.computeIfAbsent(series, k -> new double[2]);
                acc[0] += s.features().last()[names.indexOf("entries")];
                acc[1]++;
            }
        }
        assertEquals(6, sums.size());
        sums.forEach((series, acc) -> assertEquals(0, acc[0] / acc[1], 1e-9, series));
        // a window's history is the windows before it of the same series
        Sequence later = split.test().get(split.test().size() - 1);
        double[][] rows = later.features().rows();
        assertEquals(4, rows.length);
        assertTrue(rows[3] == later.features().last());
    }

    @Test
    void aWiderWindowGivesFewerWindowsAndAFolderThatIsNotASimulationIsAClearError(@TempDir Path empty)
            throws Exception {
        Split five = new ServicesProtocol(dir, Duration.ofMinutes(5), 4).load(null, 1);
        long starts = windowRows().stream().map(r -> java.time.Instant.parse(r.substring(0, r.indexOf(',')))
                .toEpochMilli() / 300_000).distinct().count();
        assertEquals(6 * starts, five.train().size() + five.validation().size() + five.test().size());
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> new ServicesProtocol(empty, Duration.ofMinutes(1), 4).load(null, 1));
        assertTrue(e.getMessage().contains("anomalog simulate services"), e.getMessage());
        assertThrows(AnomalogException.class, () -> new ServicesProtocol(dir, Duration.ofMillis(1500), 4));
    }
}
