package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DrainChainTest {

    private static int add(Drain d, String s) {
        return d.add(LogRecord.ofContent(s)).templateId();
    }

    @Test
    void chainedMergesResolveEveryIdToTheLastSurvivor() {
        Drain d = Drain.builder().variableSiblings(4).build();
        int group = add(d, "job for group 7 done");
        // first merge: four words after "user" make that position a variable; admin's template survives
        int admin = add(d, "job for user admin done");
        int oracle = add(d, "job for user oracle done");
        add(d, "job for user test done");
        add(d, "job for user guest done");
        assertEquals(admin, d.resolve(oracle));
        assertNotEquals(group, d.resolve(admin));
        // second merge: group, user, team, host before the variable; the older group template survives, and
        // admin's template, with the ids already merged into it, becomes an alias of it
        add(d, "job for team 8 done");
        add(d, "job for host 9 done");
        assertEquals(group, d.resolve(admin));
        assertEquals(group, d.resolve(oracle), "an alias of an alias resolves to the last survivor");
        assertEquals(d.store().resolve(oracle), d.resolve(oracle), "in-process and stored aliases agree");
        assertEquals(group, add(d, "job for user root done"));
    }
}
