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
            // the busy thread's time shows up under one kind of thread, and no kind used more than the whole
            var busiest = m.threadsByCpu().get(0);
            assertTrue(busiest.getValue() > 0.2, m.cpuByThread().toString());
            double sum = m.cpuByThread().values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(sum <= m.cpuSeconds() + 0.05, sum + " of " + m.cpuSeconds() + ": " + m.cpuByThread());
        } finally {
            Files.deleteIfExists(src);
        }
    }

    @Test
    void threadsAreToldApartByTheirHotSpotAndAnomalogNames() {
        assertEquals("garbage collector", ProcessMeasure.threadKind("GC Thread#1"));
        assertEquals("garbage collector", ProcessMeasure.threadKind("G1 Conc#0"));
        assertEquals("garbage collector", ProcessMeasure.threadKind("G1 Refine#0"));
        assertEquals("JIT compiler", ProcessMeasure.threadKind("C2 CompilerThre"));
        assertEquals("JIT compiler", ProcessMeasure.threadKind("C1 CompilerThre"));
        assertEquals("parse workers (anomalog-parse-N)", ProcessMeasure.threadKind("anomalog-parse-"));
        assertEquals("reader (anomalog-read)", ProcessMeasure.threadKind("anomalog-read"));
        assertEquals("main", ProcessMeasure.threadKind("main"));
        assertEquals("main", ProcessMeasure.threadKind("java"), "the launcher's thread that runs main");
        assertEquals("VM Thread", ProcessMeasure.threadKind("VM Thread"));
        assertEquals("worker", ProcessMeasure.threadKind("worker 12"), "a trailing number is dropped");
        assertEquals("42", ProcessMeasure.threadKind("42"), "a name that is only a number stays");
    }

    @Test
    void theReportedRunIsTheOneOfMedianWallTimeAndEveryRunIsKept() {
        var slow = new ProcessMeasure.Measurement(9.0, 5.0, 100, 0, "", java.util.Map.of());
        var fast = new ProcessMeasure.Measurement(3.0, 4.0, 100, 0, "", java.util.Map.of());
        var middle = new ProcessMeasure.Measurement(4.0, 6.0, 100, 0, "", java.util.Map.of("main", 1.0));
        Reports.CommandRun r = Reports.CommandRun.median("parse", 10, List.of(slow, fast, middle));
        assertEquals(middle, r.measurement());
        assertEquals(List.of(9.0, 3.0, 4.0), r.walls(), "in the order they ran");
    }

    @Test
    void theDrain3ScriptWritesTheSameColumnsAsTheParseCommand() {
        String script = ProcessMeasure.drain3Script();
        assertTrue(script.contains("['LineId', 'Content', 'EventId', 'EventTemplate', 'ParameterList']"), script);
        assertTrue(script.contains("get_parameter_list"), script);
    }
}
