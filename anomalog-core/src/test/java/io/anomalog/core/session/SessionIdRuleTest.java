package io.anomalog.core.session;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionIdRuleTest {

    @Test
    void theBlockScannerFindsWhatTheRegexFinds() {
        Pattern regex = Pattern.compile(SessionIdRule.HDFS_BLOCK);
        String[] lines = {
                "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106",
                "blk_7503483334202473044 terminating",
                "blk_ blk_- blk_x then blk_-42",
                "no block here",
                "ends with blk_",
                "ends with blk_-",
                "two blk_1 and blk_2 and blk_1 again",
                "digits ٣ are not ascii: blk_٣ then blk_9",
                "blk_blk_5",
                ""};
        SessionIdRule rule = SessionIdRule.pattern(SessionIdRule.HDFS_BLOCK);
        for (String line : lines) {
            Matcher m = regex.matcher(line);
            List<String> expected = new ArrayList<>();
            while (m.find()) {
                if (!expected.contains(m.group())) {
                    expected.add(m.group());
                }
            }
            assertEquals(expected, rule.idsIn(line), line);
        }
    }

    @Test
    void aLineWithSeveralIdsBelongsToEachOnceInOrder() {
        SessionIdRule rule = SessionIdRule.pattern("req-\\d+");
        assertEquals(List.of("req-7", "req-3"), rule.idsIn("req-7 waits for req-3, then req-7 resumes"));
        assertEquals("req-7", rule.find("GET req-7"));
        assertNull(rule.find("GET"));
    }

    @Test
    void otherPatternsUseTheirFirstGroupOrTheWholeMatch() {
        assertEquals(List.of("42"), SessionIdRule.pattern("job=(\\d+)").idsIn("start job=42 now"));
        assertEquals(List.of("req-7"), SessionIdRule.pattern("req-\\d+").idsIn("GET req-7"));
    }

    @Test
    void emptyMatchesNameNoSession() {
        assertEquals(List.of(), SessionIdRule.pattern("x*").idsIn("abc"));
        assertEquals(List.of("xx"), SessionIdRule.pattern("x*").idsIn("axxb"));
    }

    @Test
    void anInvalidPatternIsAClearError() {
        AnomalogException e = assertThrows(AnomalogException.class, () -> SessionIdRule.pattern("blk_("));
        assertEquals(true, e.getMessage().contains("not a valid regular expression"));
    }
}
