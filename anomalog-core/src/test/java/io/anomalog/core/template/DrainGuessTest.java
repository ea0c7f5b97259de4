package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainGuessTest {

    @TempDir
    Path dir;

    private static Drain drain(int maxTemplates) {
        return MinerSettings.defaults().withMaxTemplates(maxTemplates).miner(new TemplateStore(),
                MinerSettings.Mode.LEARN);
    }

    private static List<LogRecord> records(List<String> messages) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            out.add(new LogRecord("t", i + 1, -1, null, null, null, null, null, null, messages.get(i),
                    messages.get(i), true, false));
        }
        return out;
    }

    /** Events as text: id, template and parameters, which is all a caller sees of them. */
    private static String describe(ParsedEvent e) {
        return e.templateId() + "\t" + e.template() + "\t" + e.parameters();
    }

    /**
     * Guesses for a window of lines are made on several threads against the templates as they are, then settled in
     * order; the next window is guessed once the last is settled, so every guess of a window but the first line's
     * may be out of date.
     */
    private static List<String> guessedInWindows(Drain d, List<LogRecord> lines, int window) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> out = new ArrayList<>();
            for (int from = 0; from < lines.size(); from += window) {
                List<Future<Drain.Guess>> guesses = new ArrayList<>();
                for (LogRecord r : lines.subList(from, Math.min(lines.size(), from + window))) {
                    guesses.add(pool.submit(() -> d.guess(r)));
                }
                for (Future<Drain.Guess> g : guesses) {
                    out.add(describe(d.settle(g.get())));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private String saved(Drain d, String name) throws Exception {
        Path file = dir.resolve(name);
        d.store().save(file);
        return Files.readString(file);
    }

    @Test
    void guessesSettledInInputOrderGiveTheEventsAndTemplatesOfAddingTheLinesOneByOne() throws Exception {
        List<LogRecord> lines = records(EvolvingLog.messages(5, 6000));
        for (int cap : new int[]{0, 25}) {
            Drain one = drain(cap);
            List<String> expected = new ArrayList<>();
            for (LogRecord r : lines) {
                expected.add(describe(one.add(r)));
            }
            // the log really keeps changing: merges, generalisations, and with the cap evictions
            assertTrue(one.store().aliases().size() > 5, "aliases " + one.store().aliases().size());
            assertTrue(one.store().generalisations().size() > 20, "generalisations");
            if (cap > 0) {
                assertTrue(one.evicted() > 10, "evicted " + one.evicted());
            }
            for (int window : new int[]{1, 7, 500}) {
                Drain guessed = drain(cap);
                assertEquals(expected, guessedInWindows(guessed, lines, window), "cap " + cap + ", window " + window);
                assertEquals(saved(one, "one.json"), saved(guessed, "guessed.json"), "the stores agree");
                assertEquals(one.evicted(), guessed.evicted());
            }
        }
    }

    @Test
    void aGuessMadeBeforeItsTemplateGeneralisedGetsTheGeneralisedTemplate() {
        Drain d = drain(0);
        int id = d.add(LogRecord.ofContent("worker alpha state ready")).templateId();
        Drain.Guess early = d.guess(LogRecord.ofContent("worker alpha state ready"));
        assertEquals("worker alpha state ready", early.event().template());
        // four words at one position: the sibling rule makes it a variable, the oldest template survives
        for (String w : List.of("beta", "gamma", "delta")) {
            d.add(LogRecord.ofContent("worker " + w + " state ready"));
        }
        ParsedEvent settled = d.settle(early);
        assertEquals(id, settled.templateId());
        assertEquals("worker <*> state ready", settled.template());
        assertEquals(List.of("alpha"), settled.parameters());
    }

    @Test
    void aGuessMadeBeforeASimilarLineGeneralisedItsTemplateGetsTheGeneralisedTemplate() {
        Drain d = drain(0);
        int id = d.add(LogRecord.ofContent("interface eth0 changed state to up")).templateId();
        Drain.Guess early = d.guess(LogRecord.ofContent("interface eth0 changed state to up"));
        // numbered instances of one thing: the line joins the template, which generalises
        assertEquals(id, d.add(LogRecord.ofContent("interface eth1 changed state to up")).templateId());
        ParsedEvent settled = d.settle(early);
        assertEquals(id, settled.templateId());
        assertEquals("interface <*> changed state to up", settled.template());
        assertEquals(List.of("eth0"), settled.parameters());
    }

    @Test
    void aGuessStandsWhenOnlyTemplatesOfOtherLengthsChanged() {
        Drain d = drain(0);
        d.add(LogRecord.ofContent("cache warm evicted 3 entries"));
        Drain.Guess g = d.guess(LogRecord.ofContent("cache warm evicted 4 entries"));
        d.add(LogRecord.ofContent("a quite different event with seven words"));
        assertSame(g.event(), d.settle(g), "the guess itself, not a second look-up");
        assertEquals(2, d.store().get(g.event().templateId()).orElseThrow().occurrences());
    }

    @Test
    void aLineNoTemplateFitsIsLearnedWhenItIsSettled() {
        Drain d = drain(0);
        Drain.Guess g = d.guess(LogRecord.ofContent("disk full on node seven"));
        assertEquals(null, g.event());
        assertEquals(0, d.store().size(), "guessing learns nothing");
        ParsedEvent e = d.settle(g);
        assertEquals(1, d.store().size());
        assertNotEquals(0, e.templateId());
    }
}
