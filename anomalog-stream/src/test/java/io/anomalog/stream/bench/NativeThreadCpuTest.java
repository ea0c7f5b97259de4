package io.anomalog.stream.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeThreadCpuTest {

    @Test
    void readsUserPlusSystemTicksOfCompilerAndCollectorThreads() {
        // a real stat line of a C2 compiler thread; utime 1234 and stime 56 are fields 14 and 15
        String stat = "4711 (C2 CompilerThre) S 4700 4700 4600 0 -1 4194368 1500 0 0 0 1234 56 0 0 20 0 40 0 "
                + "300 7000000000 50000 18446744073709551615 1 1 0 0 0 0 4 0 16898 0 0 0 -1 1 0 0 0 0 0";
        NativeThreadCpu.Sample s = NativeThreadCpu.parse(stat);
        assertEquals(NativeThreadCpu.Kind.JIT, s.kind());
        assertEquals(1290, s.ticks());
        // a closing parenthesis inside the name does not shift the fields
        NativeThreadCpu.Sample g = NativeThreadCpu.parse(stat.replace("(C2 CompilerThre)", "(GC Thread#0 ))"));
        assertEquals(NativeThreadCpu.Kind.GC, g.kind());
        assertEquals(1290, g.ticks());
        assertNull(NativeThreadCpu.parse(stat.replace("C2 CompilerThre", "kafka-producer-")));
    }

    @Test
    void differenceCountsOnlyTheIntervalAndNewThreadsWhole() {
        var before = Map.of(1L, new NativeThreadCpu.Sample(NativeThreadCpu.Kind.JIT, 100),
                2L, new NativeThreadCpu.Sample(NativeThreadCpu.Kind.GC, 40));
        var after = Map.of(1L, new NativeThreadCpu.Sample(NativeThreadCpu.Kind.JIT, 350),
                2L, new NativeThreadCpu.Sample(NativeThreadCpu.Kind.GC, 40),
                3L, new NativeThreadCpu.Sample(NativeThreadCpu.Kind.GC, 20));
        var d = NativeThreadCpu.between(before, after);
        assertEquals(2.5, d.get(NativeThreadCpu.Kind.JIT), 1e-9);
        assertEquals(0.2, d.get(NativeThreadCpu.Kind.GC), 1e-9);
    }

    @Test
    void findsThisJvmsOwnCollectorOrCompilerThreads() {
        Assumptions.assumeTrue(NativeThreadCpu.available(), "needs /proc (Linux)");
        assertTrue(NativeThreadCpu.sample().values().stream()
                .anyMatch(s -> s.kind() == NativeThreadCpu.Kind.GC || s.kind() == NativeThreadCpu.Kind.JIT));
    }
}
