package io.anomalog.stream.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a finished simulation to a folder: {@code <host>/hdfs.log} per host and {@code labels.csv}
 * ({@code host,session,label} with label Normal or Anomaly, one row per session), and, when the simulation planted
 * performance anomalies, {@code anomalies.csv} ({@code host,session,kind}: what is wrong with each anomalous
 * session, {@link PerformanceAnomaly#SEQUENCE} or a performance kind).
 */
public final class SimulationWriter {

    /** What was written. */
    public record Summary(int hosts, long lines, long sessions, long anomalous, Path labels) {
    }

    private SimulationWriter() {
    }

    public static Path logFile(Path outDir, String host) {
        return outDir.resolve(host).resolve("hdfs.log");
    }

    public static Summary write(HdfsSimulator sim, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        long lines = 0;
        long sessions = 0;
        long anomalous = 0;
        Path labels = outDir.resolve("labels.csv");
        StringBuilder kinds = new StringBuilder("host,session,kind\n");
        boolean performance = false;
        try (BufferedWriter lw = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
            lw.write("host,session,label\n");
            List<HdfsSimulator.HostLog> hosts = new ArrayList<>(sim.hosts());
            for (HdfsSimulator.HostLog host : hosts) {
                Path file = logFile(outDir, host.name());
                Files.createDirectories(file.getParent());
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    while (host.hasNext()) {
                        SimulatedLine l = host.next();
                        w.write(l.line());
                        w.write('\n');
                        lines++;
                        if (l.lastOfSession()) {
                            sessions++;
                            anomalous += l.anomalous() ? 1 : 0;
                            lw.write(l.host() + "," + l.sessionId() + "," + (l.anomalous() ? "Anomaly" : "Normal") + "\n");
                            if (l.anomalous()) {
                                kinds.append(l.host()).append(',').append(l.sessionId()).append(',').append(l.kind())
                                        .append('\n');
                                performance |= !PerformanceAnomaly.SEQUENCE.equals(l.kind());
                            }
                        }
                    }
                }
            }
        }
        if (performance) {
            Files.writeString(kindsFile(outDir), kinds, StandardCharsets.UTF_8);
        }
        return new Summary(sim.hosts().size(), lines, sessions, anomalous, labels);
    }

    /** Where the kinds of the anomalous sessions go. */
    public static Path kindsFile(Path outDir) {
        return outDir.resolve("anomalies.csv");
    }
}
