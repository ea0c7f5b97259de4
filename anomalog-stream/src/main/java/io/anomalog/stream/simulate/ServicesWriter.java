package io.anomalog.stream.simulate;

import io.anomalog.core.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a {@link ServicesSimulator} run to a folder:
 * <ul>
 *   <li>{@code <host>/app.jsonl}: the host's JSON entries in time order;</li>
 *   <li>{@code entries.csv}: {@code host,line,label,anomaly,kind}, one row per entry (label Normal or Anomaly,
 *       the id and kind of the anomaly that wrote or changed it, 0 and {@code normal} for none);</li>
 *   <li>{@code anomalies.csv}: {@code id,kind,service,start,end,hosts,detail}, one row per injected anomaly, its
 *       hosts joined with {@code ;};</li>
 *   <li>{@code windows.csv}: {@code start,host,service,entries,label,kinds}, one row per minute and host from the
 *       first minute to the last (empty minutes included), Anomaly when it holds an entry an anomaly wrote or
 *       changed, or its host's service is silenced in it ({@link WindowLabels});</li>
 *   <li>{@code simulation.properties}: the settings and what was written.</li>
 * </ul>
 * Each file is written beside its target and renamed over it when complete.
 */
public final class ServicesWriter {

    /** The log file name in each host's folder. */
    public static final String LOG = "app.jsonl";

    /** What was written. */
    public record Summary(long entries, long anomalousEntries, List<ServiceAnomaly> anomalies, long windows,
                          long anomalousWindows, Path dir) {
    }

    private ServicesWriter() {
    }

    public static Path logFile(Path dir, String host) {
        return dir.resolve(host).resolve(LOG);
    }

    public static Summary write(ServicesSimulator sim, long seed, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> hosts = ServicesSimulator.HOSTS;
        Map<String, Integer> index = new LinkedHashMap<>();
        Writer[] logs = new Writer[hosts.size()];
        Path[] tmp = new Path[hosts.size() + 1];
        long[] lines = new long[hosts.size()];
        Map<Long, long[]> perMinute = new LinkedHashMap<>();   // minute -> entries per host
        long[] anomalous = {0};
        WindowLabels marks = new WindowLabels(60_000L);
        ServicesSimulator.Result result;
        try {
            for (int h = 0; h < hosts.size(); h++) {
                index.put(hosts.get(h), h);
                Path file = logFile(dir, hosts.get(h));
                Files.createDirectories(file.getParent());
                tmp[h] = Files.createTempFile(file.getParent(), "." + LOG, ".tmp");
                logs[h] = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp[h]),
                        StandardCharsets.UTF_8), 1 << 16);
            }
            tmp[hosts.size()] = Files.createTempFile(dir, ".entries.csv", ".tmp");
            try (Writer labels = new BufferedWriter(new OutputStreamWriter(
                    Files.newOutputStream(tmp[hosts.size()]), StandardCharsets.UTF_8), 1 << 16)) {
                labels.write("host,line,label,anomaly,kind\n");
                result = sim.run((host, time, json, anomaly, kind) -> {
                    int h = index.get(host);
                    logs[h].write(json);
                    logs[h].write('\n');
                    long line = ++lines[h];
                    perMinute.computeIfAbsent(Math.floorDiv(time, 60_000L), k -> new long[hosts.size()])[h]++;
                    marks.entry(host, time, anomaly);
                    labels.write(host);
                    labels.write(',');
                    labels.write(Long.toString(line));
                    if (anomaly == 0) {
                        labels.write(",Normal,0,normal\n");
                    } else {
                        anomalous[0]++;
                        labels.write(",Anomaly,");
                        labels.write(Integer.toString(anomaly));
                        labels.write(',');
                        labels.write(kind.label());
                        labels.write('\n');
                    }
                });
            }
            for (Writer w : logs) {
                w.close();
            }
            for (int h = 0; h < hosts.size(); h++) {
                move(tmp[h], logFile(dir, hosts.get(h)));
            }
            move(tmp[hosts.size()], dir.resolve("entries.csv"));
        } finally {
            for (Writer w : logs) {
                if (w != null) {
                    w.close();
                }
            }
            for (Path p : tmp) {
                if (p != null) {
                    Files.deleteIfExists(p);
                }
            }
        }
        List<ServiceAnomaly> anomalies = result.anomalies();
        AtomicFiles.replace(dir.resolve("anomalies.csv"), out -> {
            StringBuilder sb = new StringBuilder("id,kind,service,start,end,hosts,detail\n");
            for (ServiceAnomaly a : anomalies) {
                sb.append(a.id()).append(',').append(a.kind().label()).append(',').append(a.service()).append(',')
                        .append(a.start()).append(',').append(a.end()).append(',')
                        .append(String.join(";", new TreeSet<>(a.hosts()))).append(",\"")
                        .append(a.detail().replace("\"", "\"\"")).append("\"\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
        long first = Math.floorDiv(result.start().toEpochMilli(), 60_000L);
        long last = Math.floorDiv(result.end().toEpochMilli() - 1, 60_000L);
        long[] windows = {0, 0};
        AtomicFiles.replace(dir.resolve("windows.csv"), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("start,host,service,entries,label,kinds\n");
            long[] none = new long[hosts.size()];
            for (long m = first; m <= last; m++) {
                long[] counts = perMinute.getOrDefault(m, none);
                String at = java.time.Instant.ofEpochMilli(m * 60_000L).toString();
                for (int h = 0; h < hosts.size(); h++) {
                    java.util.Set<String> kinds = marks.kinds(hosts.get(h), m * 60_000L, anomalies);
                    windows[0]++;
                    windows[1] += kinds.isEmpty() ? 0 : 1;
                    w.write(at + "," + hosts.get(h) + "," + ServicesSimulator.service(hosts.get(h)) + "," + counts[h]
                            + "," + (kinds.isEmpty() ? "Normal," : "Anomaly," + String.join(";", kinds)) + "\n");
                }
            }
            w.flush();
        });
        ServicesSimulator.Result r = result;
        AtomicFiles.replace(dir.resolve("simulation.properties"), out -> out.write((
                "# anomalog simulate services\nformat=1\nseed=" + seed + "\nentries=" + r.entries()
                        + "\nstart=" + r.start() + "\nend=" + r.end() + "\nhosts=" + String.join(",", hosts)
                        + "\nanomalies=" + anomalies.size() + "\nanomalous_entries=" + anomalous[0] + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        return new Summary(result.entries(), anomalous[0], anomalies, windows[0], windows[1], dir);
    }

    /** Reads the anomalies a run wrote ({@code anomalies.csv}); a missing or malformed file is a clear error. */
    public static List<ServiceAnomaly> readAnomalies(Path dir) {
        Path file = dir.resolve("anomalies.csv");
        List<String> rows;
        try {
            rows = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new io.anomalog.core.util.AnomalogException("cannot read " + file + " (" + e.getMessage()
                    + "): is " + dir + " a folder written by anomalog simulate services?");
        }
        if (rows.isEmpty() || !rows.get(0).equals("id,kind,service,start,end,hosts,detail")) {
            throw new io.anomalog.core.util.AnomalogException(file + " does not start with the header "
                    + "id,kind,service,start,end,hosts,detail");
        }
        List<ServiceAnomaly> out = new java.util.ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",", 7);
            try {
                String detail = f[6].length() >= 2 && f[6].startsWith("\"") ? f[6].substring(1, f[6].length() - 1)
                        .replace("\"\"", "\"") : f[6];
                out.add(new ServiceAnomaly(Integer.parseInt(f[0]), AnomalyKind.of(f[1]), f[2],
                        java.time.Instant.parse(f[3]), java.time.Instant.parse(f[4]),
                        f[5].isEmpty() ? java.util.Set.of() : java.util.Set.of(f[5].split(";")), detail));
            } catch (RuntimeException e) {
                throw new io.anomalog.core.util.AnomalogException(file + " line " + (i + 1) + " is malformed: "
                        + rows.get(i));
            }
        }
        return out;
    }

    /**
     * The entries an anomaly wrote or changed, from {@code entries.csv}: host -> line number (1-based, in the host's
     * log file) -> anomaly id; entries of no anomaly are left out. A missing or malformed file is a clear error.
     */
    public static Map<String, Map<Long, Integer>> readEntryAnomalies(Path dir) {
        Path file = dir.resolve("entries.csv");
        Map<String, Map<Long, Integer>> out = new LinkedHashMap<>();
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!"host,line,label,anomaly,kind".equals(header)) {
                throw new io.anomalog.core.util.AnomalogException(file + " does not start with the header "
                        + "host,line,label,anomaly,kind");
            }
            long row = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                row++;
                if (line.endsWith(",Normal,0,normal")) {
                    continue;
                }
                String[] f = line.split(",", 5);
                try {
                    int anomaly = Integer.parseInt(f[3]);
                    if (anomaly != 0) {
                        out.computeIfAbsent(f[0], h -> new HashMap<>()).put(Long.parseLong(f[1]), anomaly);
                    }
                } catch (RuntimeException e) {
                    throw new io.anomalog.core.util.AnomalogException(file + " line " + row + " is malformed: "
                            + line);
                }
            }
        } catch (IOException e) {
            throw new io.anomalog.core.util.AnomalogException("cannot read " + file + " (" + e.getMessage()
                    + "): is " + dir + " a folder written by anomalog simulate services?");
        }
        return out;
    }

    /** Reads {@code simulation.properties}, checking its format version. */
    public static java.util.Properties readSettings(Path dir) {
        Path file = dir.resolve("simulation.properties");
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new io.anomalog.core.util.AnomalogException("cannot read " + file + " (" + e.getMessage()
                    + "): is " + dir + " a folder written by anomalog simulate services?");
        }
        if (!"1".equals(p.getProperty("format"))) {
            throw new io.anomalog.core.util.AnomalogException(file + " has format " + p.getProperty("format")
                    + "; this anomalog reads format 1: simulate again");
        }
        return p;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
