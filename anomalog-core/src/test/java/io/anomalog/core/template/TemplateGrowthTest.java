package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateGrowthTest {

    private static ParsedEvent event(int id, String template) {
        return new ParsedEvent(LogRecord.ofContent(template), id, template, null);
    }

    @Test
    void templatesThatStopAppearingGiveNoWarning() {
        TemplateGrowth g = new TemplateGrowth(0);
        for (int i = 0; i < 100_000; i++) {
            int id = i < 500 ? i + 1 : 1 + i % 500;        // 500 templates, all seen in the first 500 lines
            g.observe(event(id, "event " + id));
        }
        assertEquals(0, g.newInSecondHalf());
        assertFalse(g.warning().isPresent());
    }

    @Test
    void templatesStillAppearingInTheSecondHalfAreWarnedAboutWithTheLastOnes() {
        TemplateGrowth g = new TemplateGrowth(0);
        int next = 1;
        for (int i = 0; i < 200_000; i++) {
            int id = i % 10 == 0 ? next++ : 1;              // every tenth line opens a template, to the end
            g.observe(event(id, "user " + id + " joined"));
        }
        long late = g.newInSecondHalf();
        assertTrue(late > 9_000 && late < 11_000, "about half of 20,000 new templates: " + late);
        String w = g.warning().orElseThrow();
        assertTrue(w.startsWith("templates still growing after 200,000 lines"), w);
        assertTrue(w.contains("user " + (next - 1) + " joined"), w);
    }

    @Test
    void idsKnownBeforeTheParseAreNotNew() {
        TemplateGrowth g = new TemplateGrowth(1_000);
        for (int i = 0; i < 20_000; i++) {
            g.observe(event(1 + i % 1_000, "old"));
        }
        assertFalse(g.warning().isPresent());
    }

    @Test
    void noVerdictOnAShortInput() {
        TemplateGrowth g = new TemplateGrowth(0);
        for (int i = 1; i <= 5_000; i++) {
            g.observe(event(i, "t" + i));
        }
        assertFalse(g.warning().isPresent());
    }
}
