package io.anomalog.core.util;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void shortFormsAndIsoMeanTheSame() {
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s", "x"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m", "x"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("PT5M", "x"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("pt5m", "x"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m", "x"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "x"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s", "x"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d", "x"));
        assertEquals(Duration.ofSeconds(-30), Durations.parse("-30s", "x"));
    }

    @Test
    void aBareNumberOrGarbageIsRefusedWithAnExample() {
        for (String bad : new String[]{"60", "", "5 minutes", "s", "5x", "PT", "1h30"}) {
            AnomalogException e = assertThrows(AnomalogException.class, () -> Durations.parse(bad, "--gap"), bad);
            assertTrue(e.getMessage().startsWith("--gap: '") && e.getMessage().contains("60s, 5m"), e.getMessage());
        }
    }

    @Test
    void positiveRefusesZeroAndNegative() {
        assertThrows(AnomalogException.class, () -> Durations.positive("0s", "--duration"));
        AnomalogException e = assertThrows(AnomalogException.class, () -> Durations.positive("PT-5S", "--duration"));
        assertTrue(e.getMessage().contains("positive"));
        assertEquals(Duration.ofSeconds(5), Durations.positive("5s", "--duration"));
    }
}
