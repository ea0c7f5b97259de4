package io.anomalog.stream.ship;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFilterTest {

    @Test
    void includeKeepsOnlyMatchingEntriesAndExcludeWinsOverIt() {
        LineFilter f = LineFilter.of(List.of("ERROR", "WARN"), List.of("heartbeat"));
        assertTrue(f.accepts("2024-01-01 ERROR disk failing"));
        assertTrue(f.accepts("2024-01-01 WARN slow"));
        assertFalse(f.accepts("2024-01-01 INFO started"), "no include pattern matches");
        assertFalse(f.accepts("2024-01-01 WARN heartbeat late"), "an exclude match drops even an included entry");
        // patterns are searched anywhere, also in the continuation lines of a multi-line entry
        assertTrue(f.accepts("2024-01-01 INFO failed\njava.lang.Exception: ERROR in x"));
    }

    @Test
    void withoutIncludePatternsEverythingNotExcludedPasses() {
        LineFilter f = LineFilter.of(List.of(), List.of("^DEBUG"));
        assertTrue(f.accepts("INFO x"));
        assertFalse(f.accepts("DEBUG x"));
        assertTrue(LineFilter.ALL.accepts(""));
    }
}
