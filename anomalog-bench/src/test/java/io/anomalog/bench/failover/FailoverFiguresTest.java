package io.anomalog.bench.failover;

import io.anomalog.bench.failover.FailoverFigures.Figures;
import io.anomalog.bench.failover.FailoverFigures.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverFiguresTest {

    /**
     * One line every 10 ms for 20 s; each arrives 100 ms after it is written, except that nothing arrives between
     * the kill at 10 s and 13 s: the lines written then arrive at 13 s, all at once.
     */
    static List<Sample> run(long[] written) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            long w = i * 10L;
            written[i] = w;
            long a = w + 100;
            if (a >= 10_000 && a < 13_000) {
                a = 13_000;
            }
            out.add(new Sample("h", w, a));
        }
        return out;
    }

    @Test
    void theAddedLatencyIsTheWorstLatencyAfterTheKillAboveTheBaselineP99() {
        long[] written = new long[2000];
        Figures f = FailoverFigures.compute(run(written), written, 0, 1000, 10_000, 19_990, 100);
        assertEquals(100, f.baselineP50(), 1e-9);
        assertEquals(100, f.baselineP99(), 1e-9);
        // the line written at 9,900 ms arrived at 13,000: 3,100 ms, the worst
        assertEquals(3100, f.afterMax(), 1e-9);
        assertEquals(3000, f.addedMillis(), 1e-9);
        // the backlog rose above the baseline's (10 lines in flight) at once and was back at 13 s
        assertEquals(3000, f.recoveryMillis(), 1e-9);
        assertEquals(10, f.baselineBacklog());
        assertTrue(f.worstBacklog() >= 300, "three seconds of lines waited: " + f.worstBacklog());
        assertEquals(890, f.baselineLines(), "written from 1 s on and arrived before the kill");
        assertEquals(100, f.baselineLinesPerSecond(), 1e-9);
    }

    @Test
    void aRunThatNeverFallsBehindRecoversInNoTimeAndOneThatNeverCatchesUpHasNoRecovery() {
        long[] written = new long[1000];
        List<Sample> smooth = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            written[i] = i * 10L;
            smooth.add(new Sample("h", written[i], written[i] + 50));
        }
        assertEquals(0, FailoverFigures.compute(smooth, written, 0, 0, 5000, 9990, 100).recoveryMillis(), 1e-9);
        List<Sample> stuck = smooth.stream().filter(s -> s.writtenAt() < 5000).toList();
        assertTrue(Double.isNaN(FailoverFigures.compute(stuck, written, 0, 0, 5000, 9990, 100).recoveryMillis()));
        assertThrows(IllegalArgumentException.class,
                () -> FailoverFigures.compute(smooth, written, 0, 6000, 5000, 9990, 100));
    }
}
