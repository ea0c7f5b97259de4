package io.anomalog.stream.simulate;

import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HdfsSimulatorTest {

    static final Pattern BLOCK = Pattern.compile("blk_-?\\d+");

    @Test
    void writesRealSessionKeySequencesAsHdfsLinesWithLabels(@TempDir Path out) throws Exception {
        KeySessions data = KeySessions.bundled();
        assertEquals(4855, data.normal().size(), "hdfs_train has 4,855 sessions");
        HdfsSimulator sim = HdfsSimulator.builder(data).hosts(3).sessions(300).anomalyRate(0.2).seed(5).build();
        SimulationWriter.Summary s = SimulationWriter.write(sim, out);
        assertEquals(300, s.sessions());
        assertTrue(s.anomalous() > 30 && s.anomalous() < 90, "about 20% anomalous: " + s.anomalous());
        List<String> labels = Files.readAllLines(s.labels());
        assertEquals("host,session,label", labels.get(0));
        assertEquals(301, labels.size());

        // Every line has the HDFS_v1 header and parses with the hdfs format.
        LogFormat hdfs = LogFormats.byName("hdfs");
        Pattern header = Pattern.compile("\\d{6} \\d{6} \\d+ (INFO|WARN) dfs\\.[A-Za-z$]+: .+");
        Map<String, List<String>> sessions = new HashMap<>();
        long lines = 0;
        for (String host : List.of("hadoop1", "hadoop2", "hadoop3")) {
            for (String line : Files.readAllLines(SimulationWriter.logFile(out, host))) {
                lines++;
                assertTrue(header.matcher(line).matches(), line);
                LogRecord r = hdfs.parse(line, host, lines, -1);
                assertTrue(r.headerMatched(), line);
                Matcher m = BLOCK.matcher(r.content());
                assertTrue(m.find(), line);
                sessions.computeIfAbsent(host + "/" + m.group(), k -> new ArrayList<>()).add(line);
            }
        }
        assertEquals(s.lines(), lines);
        assertEquals(300, sessions.size(), "one block id per session, none shared");
        // Mapped back through loghub's templates (key k = E<k>), each session is a real sequence of its kind.
        List<Pattern> templates = new ArrayList<>();
        for (String row : Files.readAllLines(data.dataDir().resolve(KeySessions.TEMPLATES)).subList(1, 31)) {
            String t = row.substring(row.indexOf(',') + 1);
            StringBuilder re = new StringBuilder();
            for (String part : t.split("<\\*>", -1)) {
                re.append(re.length() == 0 ? "" : ".*?").append(Pattern.quote(part));
            }
            templates.add(Pattern.compile(re.toString()));
        }
        Set<String> train = new HashSet<>();
        data.normal().forEach(q -> train.add(java.util.Arrays.toString(q.keys())));
        Set<String> abnormal = new HashSet<>();
        data.abnormal().forEach(q -> abnormal.add(java.util.Arrays.toString(q.keys())));
        for (String row : labels.subList(1, labels.size())) {
            String[] f = row.split(",");
            List<Integer> keys = new ArrayList<>();
            for (String line : sessions.get(f[0] + "/" + f[1])) {
                String content = hdfs.parse(line, "t", 0, -1).content();
                int k = 0;
                while (!templates.get(k).matcher(content).matches()) {
                    k++;
                }
                keys.add(k + 1);
            }
            Set<String> pool = f[2].equals("Normal") ? train : abnormal;
            assertTrue(pool.contains(keys.toString()), row + " " + keys);
        }
    }

    @Test
    void drainRecoversOneTemplatePerLogKeyFromTheGeneratedLines() {
        KeySessions data = KeySessions.bundled();
        LogFormat hdfs = LogFormats.byName("hdfs");
        Drain drain = Drain.builder().build();
        Map<Integer, Set<Integer>> templatesOfKey = new TreeMap<>();
        java.util.Random rnd = new java.util.Random(1);
        for (int key = 1; key <= HdfsLineRenderer.MAX_KEY; key++) {
            for (int i = 0; i < 40; i++) {
                HdfsLineRenderer.Block b = new HdfsLineRenderer.Block(rnd);
                String line = HdfsLineRenderer.line(key, b, java.time.LocalDateTime.of(2008, 11, 9, 20, 35, i), rnd);
                ParsedEvent e = drain.add(hdfs.parse(line, "t", i, -1));
                templatesOfKey.computeIfAbsent(key, k -> new HashSet<>()).add(e.templateId());
            }
        }
        Map<Integer, Integer> keyOfTemplate = new HashMap<>();
        templatesOfKey.forEach((key, ids) -> {
            ids.forEach(id -> {
                Integer other = keyOfTemplate.put(drain.resolve(id), key);
                assertTrue(other == null || other.equals(key), "keys " + other + " and " + key + " share a template");
            });
        });
        assertTrue(data.abnormal().size() > 1000);
    }

    @Test
    void performanceAnomaliesKeepNormalKeysAndShowOnlyInTimesAndSizes(@TempDir Path out) throws Exception {
        HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(1).sessions(600).anomalyRate(0)
                .performanceAnomalies(0.1, 0.1, 0.1).seed(3).build();
        SimulationWriter.Summary s = SimulationWriter.write(sim, out);
        Map<String, String> kind = new HashMap<>();
        for (String row : Files.readAllLines(SimulationWriter.kindsFile(out)).subList(1, (int) s.anomalous() + 1)) {
            String[] f = row.split(",");
            kind.put(f[1], f[2]);
        }
        assertEquals(Set.of("delay", "size", "stretch"), new HashSet<>(kind.values()));
        assertTrue(s.anomalous() > 120 && s.anomalous() < 240, "about 30% anomalous: " + s.anomalous());

        LogFormat hdfs = LogFormats.byName("hdfs");
        Map<String, List<LogRecord>> sessions = new TreeMap<>();
        java.time.Instant previous = null;
        long n = 0;
        for (String line : Files.readAllLines(SimulationWriter.logFile(out, "hadoop1"))) {
            LogRecord r = hdfs.parse(line, "hadoop1", ++n, -1);
            assertTrue(previous == null || !r.time().isBefore(previous), "lines in time order: " + line);
            previous = r.time();
            Matcher m = BLOCK.matcher(r.content());
            assertTrue(m.find());
            sessions.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(r);
        }
        Pattern size = Pattern.compile("size (\\d+)");
        for (var e : sessions.entrySet()) {
            List<LogRecord> rs = e.getValue();
            long maxGap = 0;
            long maxSize = 0;
            for (int i = 0; i < rs.size(); i++) {
                if (i > 0) {
                    maxGap = Math.max(maxGap, java.time.Duration.between(rs.get(i - 1).time(), rs.get(i).time()).toSeconds());
                }
                Matcher m = size.matcher(rs.get(i).content());
                if (m.find()) {
                    maxSize = Math.max(maxSize, Long.parseLong(m.group(1)));
                }
            }
            String k = kind.get(e.getKey());
            assertTrue(k == null || !k.equals("sequence"), "no sequence anomalies at anomaly rate 0");
            if (k == null) {
                assertTrue(maxGap <= 3, "normal gaps stay within 0-2 s (+1 s rounding): " + maxGap);
            }
            if ("delay".equals(k)) {
                assertTrue(maxGap >= 10, "a delay of 10 s or more: " + maxGap);
            }
            if ("size".equals(k)) {
                assertTrue(maxSize > 3 * 67108864L, "a size beyond the block size: " + maxSize);
            } else {
                assertTrue(maxSize <= 67108864L, e.getKey() + " reports " + maxSize);
            }
        }
        assertEquals(600, sessions.size());
    }
}
