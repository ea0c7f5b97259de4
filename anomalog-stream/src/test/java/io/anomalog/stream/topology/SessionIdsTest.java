package io.anomalog.stream.topology;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SessionIdsTest {

    @Test
    void theBlockScannerFindsWhatTheRegexFinds() {
        Pattern regex = Pattern.compile(SessionIds.HDFS_BLOCK);
        String[] lines = {
                "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106",
                "blk_7503483334202473044 terminating",
                "blk_ blk_- blk_x then blk_-42",
                "no block here",
                "ends with blk_",
                "ends with blk_-",
                "two blk_1 and blk_2",
                "digits ٣ are not ascii: blk_٣ then blk_9",
                "blk_blk_5",
                ""};
        SessionIds ids = SessionIds.of(SessionIds.HDFS_BLOCK);
        for (String line : lines) {
            Matcher m = regex.matcher(line);
            assertEquals(m.find() ? m.group() : null, ids.find(line), line);
        }
    }

    @Test
    void otherPatternsUseTheirFirstGroupOrTheWholeMatch() {
        assertEquals("42", SessionIds.of("job=(\\d+)").find("start job=42 now"));
        assertEquals("req-7", SessionIds.of("req-\\d+").find("GET req-7"));
        assertNull(SessionIds.of("req-\\d+").find("GET"));
    }
}
