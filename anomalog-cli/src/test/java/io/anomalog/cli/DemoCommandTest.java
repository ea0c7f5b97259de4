package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, as a user runs it: the demo with its default detector (DeepLog), only shorter. */
class DemoCommandTest {

    @Test
    @Timeout(180)
    void theDemoTrainsDeepLogAndFindsTheAnomaliesWithExplanations(@TempDir Path work) {
        CliRun r = CliRun.of("demo", "--duration", "PT8S", "--session-gap", "PT1.5S", "--anomaly-rate", "0.2",
                "--rate", "400", "--training-sessions", "600", "--work-dir", work.toString(), "--http", "127.0.0.1:0",
                "--no-upgrade"); // detection quality on a steady workflow; DemoTest runs the upgrade
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("model: training deeplog"), out);
        assertTrue(Pattern.compile("console: http://127\\.0\\.0\\.1:\\d+/").matcher(out).find(), "the demo prints its console's address\n" + out);
        assertTrue(out.contains("not in top-9"), "DeepLog's explanation of an anomaly\n" + out);
        assertTrue(out.contains("is a template the model never saw: '"), "the text of an unknown key\n" + out);
        Matcher lines = Pattern.compile("lines written ([\\d,]+), shipped ([\\d,]+), read by the detector ([\\d,]+), "
                + "dead letters 0").matcher(out);
        assertTrue(lines.find(), out);
        assertEquals(lines.group(1), lines.group(2), "every written line shipped");
        assertEquals(lines.group(1), lines.group(3), "every shipped line read");
        Matcher score = Pattern.compile("summary[\\s\\S]*precision +([\\d.]+)% +recall +([\\d.]+)%").matcher(out);
        assertTrue(score.find(), out);
        // real anomalies of the simulation are mostly caught, with few false alarms
        assertTrue(Double.parseDouble(score.group(1)) >= 60, out);
        assertTrue(Double.parseDouble(score.group(2)) >= 60, out);
    }
}
