package io.anomalog.core.session;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupingSpecTest {

    @Test
    void everyGroupingSurvivesTheRoundTripThroughAManifest() {
        GroupingSpec[] specs = {
                GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(5)).withEndEvent("^done")
                        .withMaxEvents(50).withMaxAge(Duration.ofMinutes(10)),
                new GroupingSpec.Sessions(SessionIdRule.field("Node"), null, null, 10, null),
                new GroupingSpec.CountWindows(20, 5),
                new GroupingSpec.TimeWindows(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(2))};
        for (GroupingSpec s : specs) {
            GroupingSpec back = GroupingSpec.of(s.toMap());
            assertEquals(s.toMap(), back.toMap(), s.describe());
            assertEquals(s.describe(), back.describe());
        }
    }

    @Test
    void closingRulesMustBePositive() {
        assertThrows(AnomalogException.class, () -> GroupingSpec.Sessions.byPattern("x").withGap(Duration.ofSeconds(-30)));
        assertThrows(AnomalogException.class, () -> new GroupingSpec.CountWindows(0, 1));
        assertThrows(AnomalogException.class, () -> new GroupingSpec.TimeWindows(Duration.ZERO, null, null));
        assertThrows(AnomalogException.class, () -> new GroupingSpec.TimeWindows(Duration.ofMinutes(1), null,
                Duration.ofSeconds(-1)));
    }

    @Test
    void batchSessionsSplitAtTheEndEventAndTheSizeCapAsTheStreamDoes() {
        var events = java.util.List.of(GrouperTest.event(1, null, "open blk_1", 1),
                GrouperTest.event(2, null, "done blk_1", 2), GrouperTest.event(3, null, "open blk_1", 1),
                GrouperTest.event(4, null, "more blk_1", 3), GrouperTest.event(5, null, "more blk_1", 3));
        var seqs = GroupingSpec.Sessions.byPattern("blk_\\d+").withEndEvent("^done").withMaxEvents(2)
                .grouper(id -> Label.UNKNOWN).group(events).sequences();
        assertEquals(3, seqs.size());
        assertEquals(java.util.List.of("blk_1", "blk_1", "blk_1"), seqs.stream().map(Sequence::id).toList());
        assertEquals(java.util.List.of(2, 2, 1), seqs.stream().map(Sequence::length).toList());
    }
}
