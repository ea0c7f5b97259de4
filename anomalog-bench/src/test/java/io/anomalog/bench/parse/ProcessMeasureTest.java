package io.anomalog.bench.parse;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessMeasureTest {

    @Test
    void aCommandIsMeasuredFromStartToExitWithItsCpuTimeAndPeakMemory() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "CPU time and memory are read from /proc (Linux)");
        String java = ProcessHandle.current().info().command().orElse("java");
        // a short Java program that keeps a core busy for a while and then exits with a status of its own
        Path src = Files.createTempFile("busy", ".java");
        Files.writeString(src, "public class Busy { public static void main(String[] a) { long s = 0;"
                + " long end = System.nanoTime() + 600_000_000L; while (System.nanoTime() < end) { s += s * 31 + 7; }"
                + " System.out.println(s == 42 ? \"x\" : \"done\"); System.exit(3); } }");
        try {
            ProcessMeasure.Measurement m = ProcessMeasure.run(List.of(java, src.toString()));
            assertEquals(3, m.exitCode(), m.output());
            assertTrue(m.output().contains("done"), m.output());
            assertTrue(m.wallSeconds() >= 0.6, "wall " + m.wallSeconds());
            assertTrue(m.cpuSeconds() > 0.2 && m.cpuSeconds() < m.wallSeconds() * 4, "cpu " + m.cpuSeconds());
            assertTrue(m.peakRssBytes() > 1 << 20, "peak RSS " + m.peakRssBytes());
        } finally {
            Files.deleteIfExists(src);
        }
    }

    @Test
    void theDrain3ScriptWritesTheSameColumnsAsTheParseCommand() {
        String script = ProcessMeasure.drain3Script();
        assertTrue(script.contains("['LineId', 'Content', 'EventId', 'EventTemplate', 'ParameterList']"), script);
        assertTrue(script.contains("get_parameter_list"), script);
    }
}
