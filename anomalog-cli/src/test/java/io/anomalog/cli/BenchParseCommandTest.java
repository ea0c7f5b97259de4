package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchParseCommandTest {

    private static final Path LOGHUB = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/loghub");

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreMeasuredThroughTheParseCommandBeforeTheTunedMasks() throws Exception {
        // a datasets folder with the bundled HDFS and BGL samples under both ground-truth names
        for (String system : new String[]{"HDFS", "BGL"}) {
            Path original = Files.createDirectories(dir.resolve("loghub_2k").resolve(system));
            Files.copy(LOGHUB.resolve(system).resolve(system + "_2k.log"), original.resolve(system + "_2k.log"));
            Files.copy(LOGHUB.resolve(system).resolve(system + "_2k.log_structured.csv"),
                    original.resolve(system + "_2k.log_structured.csv"));
        }
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "| parser | averages:<!-- bench parse -->old<!-- /bench parse --> |\n");
        Path report = dir.resolve("accuracy.md");
        CliRun r = CliRun.of("bench", "parse", "--data", dir.toString(), "--report", report.toString(), "--readme",
                readme.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(report);
        int defaults = md.indexOf("## What users get: `anomalog parse --format NAME` with its defaults");
        int tuned = md.indexOf("## Tuned per system, for comparison");
        assertTrue(defaults >= 0 && tuned > defaults, md);
        Matcher hdfs = Pattern.compile("\\| HDFS \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\|")
                .matcher(md);
        assertTrue(hdfs.find(), md);
        assertTrue(Double.parseDouble(hdfs.group(1)) >= 0.99, "HDFS GA through the command: " + hdfs.group(1));
        assertTrue(md.contains("| system | GA | FGA | PA | FTA | parameters |"), md);
        String quoted = Files.readString(readme);
        assertTrue(quoted.matches("(?s).*<!-- bench parse --> loghub_2k: GA [0-9.]+ \\(lowest [0-9.]+\\), PA [0-9.]+, "
                + "parameters [0-9.]+ <!-- /bench parse -->.*"), quoted);
    }
}
