package io.anomalog.stream.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesSimulatorTest {

    /** One written entry with its label. */
    record Entry(String host, long time, JsonNode json, int anomaly, String kind) {
        String text(String field) {
            JsonNode v = json.get(field);
            return v == null ? null : v.asText();
        }

        double latency() {
            return json.get("latency_ms").asDouble();
        }
    }

    @TempDir
    static Path dir;
    static ServicesWriter.Summary summary;
    static List<Entry> entries;
    static Map<Integer, ServiceAnomaly> byId;

    @BeforeAll
    static void simulate() throws Exception {
        ServicesSimulator sim = ServicesSimulator.builder().entries(120_000).days(1).anomaliesPerDay(10).seed(7)
                .build();
        summary = ServicesWriter.write(sim, 7, dir.resolve("a"));
        entries = new ArrayList<>();
        List<String> labels = Files.readAllLines(dir.resolve("a/entries.csv"));
        assertEquals("host,line,label,anomaly,kind", labels.get(0));
        Map<String, List<String>> logs = new HashMap<>();
        for (String host : ServicesSimulator.HOSTS) {
            logs.put(host, Files.readAllLines(ServicesWriter.logFile(dir.resolve("a"), host)));
        }
        for (String row : labels.subList(1, labels.size())) {
            String[] f = row.split(",");
            JsonNode json = Json.MAPPER.readTree(logs.get(f[0]).get(Integer.parseInt(f[1]) - 1));
            assertEquals(f[0], json.get("host").asText());
            assertEquals(f[2].equals("Anomaly"), !f[3].equals("0"), row);
            entries.add(new Entry(f[0], Instant.parse(json.get("timestamp").asText()).toEpochMilli(), json,
                    Integer.parseInt(f[3]), f[4]));
        }
        byId = new HashMap<>();
        summary.anomalies().forEach(a -> byId.put(a.id(), a));
    }

    @Test
    void writesExactlyTheEntriesAskedForEachALineOfJsonWithTheStudysFields() {
        assertEquals(120_000, summary.entries());
        assertEquals(120_000, entries.size());
        long sum = 0;
        for (String host : ServicesSimulator.HOSTS) {
            sum += entries.stream().filter(e -> e.host().equals(host)).count();
        }
        assertEquals(120_000, sum);
        for (Entry e : entries.subList(0, 5000)) {
            for (String f : List.of("timestamp", "level", "service", "host", "operation", "message")) {
                assertTrue(e.json().hasNonNull(f), f + " in " + e.json());
            }
            assertEquals(ServicesSimulator.service(e.host()), e.text("service"));
        }
        assertTrue(entries.stream().anyMatch(e -> e.json().has("user") && e.json().has("client_ip")
                && e.json().has("latency_ms") && e.json().has("status")));
        for (int i = 1; i < entries.size(); i++) {
            // the label file follows the time order the simulator wrote in
            assertTrue(entries.get(i).time() >= entries.get(i - 1).time());
        }
    }

    @Test
    void injectsEveryKindAndLabelsOnlyEntriesOfItsHostsWhileItActs() {
        Set<AnomalyKind> kinds = EnumSet.noneOf(AnomalyKind.class);
        summary.anomalies().forEach(a -> kinds.add(a.kind()));
        assertEquals(EnumSet.allOf(AnomalyKind.class), kinds);
        assertEquals(10, summary.anomalies().size());
        for (Entry e : entries) {
            if (e.anomaly() == 0) {
                assertEquals("normal", e.kind());
                continue;
            }
            ServiceAnomaly a = byId.get(e.anomaly());
            assertEquals(a.kind().label(), e.kind());
            assertTrue(a.hosts().contains(e.host()), e + " of " + a);
            // effects are logged when the request ends: up to the gateway timeout, a deployment's minute later
            assertTrue(e.time() >= a.start().toEpochMilli() && e.time() < a.end().toEpochMilli() + 60_000,
                    e + " outside " + a);
        }
        for (ServiceAnomaly a : summary.anomalies()) {
            long labelled = entries.stream().filter(e -> e.anomaly() == a.id()).count();
            assertTrue(labelled > 0, "entries labelled with " + a);
        }
    }

    @Test
    void errorSpikesAndBruteForceAreExactlyTheLabelledEntries() {
        for (Entry e : entries) {
            boolean npe = "NPE".equals(e.text("error"));
            if (npe) {
                assertEquals("error-spike", e.kind(), e.toString());
            }
        }
        for (ServiceAnomaly a : summary.anomalies()) {
            if (a.kind() == AnomalyKind.ERROR_SPIKE) {
                String service = a.service();
                long failed = entries.stream().filter(e -> e.anomaly() == a.id() && "NPE".equals(e.text("error"))
                        && e.text("service").equals(service)).count();
                assertTrue(failed > 10, failed + " failures of " + a);
            }
            if (a.kind() == AnomalyKind.BRUTE_FORCE) {
                String address = a.detail().substring(a.detail().lastIndexOf(' ') + 1);
                List<Entry> from = entries.stream().filter(e -> address.equals(e.text("client_ip"))).toList();
                assertTrue(from.size() > 20, from.size() + " entries from " + address);
                for (Entry e : from) {
                    assertEquals(a.id(), e.anomaly(), e.toString());
                    assertEquals(401, e.json().get("status").asInt(), e.toString());
                }
            }
        }
    }

    @Test
    void delaysAndCreepsSlowTheLabelledEntriesAndSilenceWritesNothing() {
        double normalDb = median(entries.stream().filter(e -> e.anomaly() == 0 && e.host().equals("db-1")
                && e.json().has("latency_ms")).map(Entry::latency).toList());
        for (ServiceAnomaly a : summary.anomalies()) {
            List<Entry> mine = entries.stream().filter(e -> e.anomaly() == a.id() && e.json().has("latency_ms"))
                    .toList();
            switch (a.kind()) {
                case LATENCY_SPIKE -> {
                    if (a.service().equals("db")) {
                        double slow = median(mine.stream().filter(e -> e.host().equals("db-1"))
                                .map(Entry::latency).toList());
                        assertTrue(slow > 3 * normalDb, slow + " vs " + normalDb + " in " + a);
                    } else {
                        double slow = median(mine.stream().filter(e -> e.host().equals("payments-1"))
                                .map(Entry::latency).toList());
                        assertTrue(slow > 400, slow + " ms in " + a);
                    }
                }
                case LATENCY_CREEP -> {
                    String host = a.service() + "-1";
                    List<Double> own = mine.stream().filter(e -> e.host().equals(host)).map(Entry::latency).toList();
                    double early = median(own.subList(0, own.size() / 5));
                    double late = median(own.subList(own.size() * 4 / 5, own.size()));
                    assertTrue(late > 2 * early, early + " -> " + late + " in " + a);
                }
                case SILENCE -> {
                    String host = a.service() + "-1";
                    long written = entries.stream().filter(e -> e.host().equals(host)
                            && e.time() >= a.start().toEpochMilli() && e.time() < a.end().toEpochMilli()).count();
                    assertEquals(0, written, host + " while " + a);
                    assertTrue(a.hosts().contains(host));
                    assertTrue(mine.stream().allMatch(e -> e.host().startsWith("gateway")
                            || e.host().equals("orders-1")), "only callers log a silent service");
                }
                default -> {
                }
            }
        }
    }

    @Test
    void windowLabelsSayWhichAnomaliesShowInEachHostsMinute() throws Exception {
        List<String> rows = Files.readAllLines(dir.resolve("a/windows.csv"));
        assertEquals("start,host,service,entries,label,kinds", rows.get(0));
        assertEquals(summary.windows(), rows.size() - 1);
        long anomalous = 0;
        Map<String, Long> counted = new HashMap<>();
        Map<String, Set<String>> marked = new HashMap<>();
        for (Entry e : entries) {
            String at = Instant.ofEpochMilli(e.time() / 60_000 * 60_000) + "," + e.host();
            counted.merge(at, 1L, Long::sum);
            if (e.anomaly() != 0) {
                marked.computeIfAbsent(at, k -> new java.util.TreeSet<>()).add(e.kind());
            }
        }
        long spanOnly = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            long from = Instant.parse(f[0]).toEpochMilli();
            // the kinds of the entries it holds, and a silence of its own service while it lasts
            Set<String> expected = new java.util.TreeSet<>(marked.getOrDefault(f[0] + "," + f[1], Set.of()));
            boolean acts = false;
            for (ServiceAnomaly a : summary.anomalies()) {
                boolean overlaps = a.hosts().contains(f[1]) && a.start().toEpochMilli() < from + 60_000
                        && from < a.end().toEpochMilli();
                acts |= overlaps;
                if (overlaps && a.kind() == AnomalyKind.SILENCE && a.service().equals(f[2])) {
                    expected.add(a.kind().label());
                }
            }
            spanOnly += acts && expected.isEmpty() ? 1 : 0;
            assertEquals(expected.isEmpty() ? "Normal" : "Anomaly", f[4], row);
            assertEquals(String.join(";", expected), f[5], row);
            assertEquals(counted.getOrDefault(f[0] + "," + f[1], 0L), Long.parseLong(f[3]), row);
            anomalous += expected.isEmpty() ? 0 : 1;
        }
        assertEquals(summary.anomalousWindows(), anomalous);
        assertTrue(anomalous > 30 && anomalous < summary.windows() / 5, anomalous + " anomalous windows");
        // quiet minutes inside an anomaly's span that hold none of its entries stay normal
        assertTrue(spanOnly > 0, "some minutes of an anomaly's span show nothing of it");
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers() throws Exception {
        ServicesWriter.write(ServicesSimulator.builder().entries(120_000).days(1).anomaliesPerDay(10).seed(7).build(),
                7, dir.resolve("b"));
        ServicesWriter.write(ServicesSimulator.builder().entries(120_000).days(1).anomaliesPerDay(10).seed(8).build(),
                8, dir.resolve("c"));
        List<String> files = new ArrayList<>(List.of("entries.csv", "windows.csv", "anomalies.csv",
                "simulation.properties"));
        ServicesSimulator.HOSTS.forEach(h -> files.add(h + "/" + ServicesWriter.LOG));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b")
                    .resolve(f)), f);
        }
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("a/gateway-1/app.jsonl")),
                Files.readAllBytes(dir.resolve("c/gateway-1/app.jsonl"))));
    }

    @Test
    void tooFewEntriesForTheSpanAreAClearError() {
        AnomalogException e = assertThrows(AnomalogException.class, () -> ServicesSimulator.builder().entries(100)
                .days(7).build().run((h, t, j, a, k) -> { }));
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
    }

    static double median(List<Double> values) {
        assertFalse(values.isEmpty());
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }
}
