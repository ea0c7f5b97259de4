package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per failure class the default rules address, each with lines made up to show that class. */
class DrainRulesTest {

    private static ParsedEvent add(Drain d, String content) {
        return d.add(LogRecord.ofContent(content));
    }

    private static int id(Drain d, String content) {
        return d.resolve(add(d, content).templateId());
    }

    @Test
    void templatesThatDifferOnlyInAFinalProtocolWordStayApart() {
        Drain d = Drain.builder().build();
        Set<Integer> tls = new HashSet<>();
        Set<Integer> socks = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            tls.add(id(d, "gw" + i + ".example.net:443 open through relay relay.example.net:8080 HTTPS"));
            socks.add(id(d, "gw" + i + ".example.net:443 open through relay relay.example.net:1080 SOCKS5"));
        }
        assertEquals(1, tls.size());
        assertEquals(1, socks.size());
        assertNotEquals(tls, socks);
        assertEquals("<*> open through relay <*> SOCKS5", d.template(socks.iterator().next()).orElseThrow());
    }

    @Test
    void aStateOrAVerbWithFewValuesKeepsItsEventsApartWhateverTheValuesAround() {
        Drain d = Drain.builder().build();
        Set<Integer> up = new HashSet<>();
        Set<Integer> down = new HashSet<>();
        Set<Integer> opened = new HashSet<>();
        Set<Integer> closed = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String peer = "10.0." + (i % 7) + "." + (i * 13 % 250);
            up.add(id(d, "link to " + peer + " port " + (7000 + i) + " is UP after " + i + " ms"));
            down.add(id(d, "link to " + peer + " port " + (7000 + i) + " is DOWN after " + i + " ms"));
            opened.add(id(d, "session " + (900 + i) + " opened for uid " + (1000 + i % 3)));
            closed.add(id(d, "session " + (900 + i) + " closed for uid " + (1000 + i % 3)));
        }
        for (Set<Integer> one : List.of(up, down, opened, closed)) {
            assertEquals(1, one.size(), "each event one template: " + up + down + opened + closed);
        }
        assertEquals(4, Set.of(up, down, opened, closed).size(), "and four apart");
        assertEquals("link to <*> port <*> is DOWN after <*> ms", d.template(down.iterator().next()).orElseThrow());
    }

    @Test
    void numberedInstancesOfOneThingShareATemplate() {
        Drain d = Drain.builder().build();
        Set<Integer> ids = new HashSet<>();
        for (String node : new String[]{"Rack_A1", "Rack_A2", "Rack_B1", "Rack_C7"}) {
            ids.add(id(d, "[" + node + "] fan tray inserted"));
        }
        assertEquals(1, ids.size());
        assertEquals("[<*>] fan tray inserted", d.template(ids.iterator().next()).orElseThrow());
        // differently named devices with a digit are different things
        assertNotEquals(id(d, "link up on port lan0"), id(d, "link up on port wlan0"));
    }

    @Test
    void aTokenOfPunctuationKeepsTemplatesApart() {
        Drain d = Drain.builder().build();
        int full = id(d, "Sensor readings ( 3552 3534 3375 3540 )");
        int missing = id(d, "Sensor readings ( 3552 **** 3375 3540 )");
        assertNotEquals(full, missing);
        assertEquals(full, id(d, "Sensor readings ( 1 2 3 4 )"));
        assertEquals(missing, id(d, "Sensor readings ( 7 **** 8 9 )"));
    }

    @Test
    void runsOfValuesOfAnyLengthGiveOneTemplateAndOneParameter() {
        Drain d = Drain.builder().build();
        ParsedEvent a = add(d, "cannot resolve hosts n14 n15 n16 n17");
        ParsedEvent b = add(d, "cannot resolve hosts n142 n143");
        ParsedEvent c = add(d, "cannot resolve hosts n9001 n9002 n9003 n9004 n9005 n9006 n9007");
        assertEquals(a.templateId(), b.templateId());
        assertEquals(a.templateId(), c.templateId());
        assertEquals("cannot resolve hosts <*>", c.template());
        assertEquals(List.of("n142 n143"), b.parameters());
        // off, lengths stay apart as in the published algorithm
        Drain plain = Drain.builder().joinRuns(false).build();
        assertNotEquals(add(plain, "cannot resolve hosts n14 n15").templateId(),
                add(plain, "cannot resolve hosts n14 n15 n16").templateId());
    }

    @Test
    void optionalValueGroupsKeepALineInItsEventWhateverItsLength() {
        Drain d = Drain.builder().build();
        int plain = id(d, "gw.example.org:80 close, 0 bytes sent, 0 bytes received, lifetime 00:01");
        int sized = id(d, "gw.example.org:80 close, 1190 bytes (1.16 KB) sent, 9 bytes received, lifetime 00:02");
        int both = id(d, "gw.example.org:80 close, 7829 bytes (7.64 KB) sent, 578548 bytes (564 KB) received, "
                + "lifetime <1 sec");
        assertEquals(plain, sized);
        assertEquals(plain, both);
        assertEquals(1, d.store().size(), "one template, with forms of other lengths sharing its id");
        // another word is another event, whatever the values around it
        assertNotEquals(plain, id(d, "gw.example.org:80 reset, 0 bytes sent, 0 bytes received, lifetime 00:01"));
        // a later run that loads the store finds the same id for a longer form
        Drain again = Drain.builder().store(d.store()).build();
        assertEquals(plain, id(again, "gw.example.org:80 close, 12 bytes (1.2 KB) sent, 3 bytes received, lifetime 00:09"));
    }

    @Test
    void aQuotedValueWithSpacesIsOneValue() {
        Drain d = Drain.builder().build();
        int a = id(d, "acquire lock=7, tag=\"Audio Mix\", name=mixer, uid=1000");
        int b = id(d, "acquire lock=8, tag=\"RIL\", name=modem, uid=1001");
        assertEquals(a, b);
        ParsedEvent c = add(d, "acquire lock=9, tag=\"View Lock Held\", name=ui, uid=1002");
        assertEquals(a, d.resolve(c.templateId()));
        assertEquals(List.of("9", "View Lock Held", "ui", "1002"), c.parameters());
        // and a reloaded store cuts its template the same way
        Drain again = Drain.builder().store(d.store()).build();
        assertEquals(a, id(again, "acquire lock=3, tag=\"Two Words\", name=x, uid=5"));
    }

    @Test
    void aUnitWordAfterANumberDoesNotSplitAnEvent() {
        Drain d = Drain.builder().build();
        int bytes = id(d, "cached entry in memory (size 384.0 B, free 317.5 KB)");
        int kilo = id(d, "cached entry in memory (size 5.2 KB, free 311.0 KB)");
        assertEquals(bytes, kilo);
        // a longer word after a value is a word
        assertNotEquals(id(d, "route via 10.0.0.1:80 HTTPS"), id(d, "route via 10.0.0.2:80 PROXY"));
    }

    @Test
    void aTemplateGeneralisedLaterAbsorbsTheLinesSeenBeforeTheVariableWasKnown() {
        Drain d = Drain.builder().build();
        int uucp = id(d, "Failed login for uucp from 10.0.0.1 port 22 ssh2");
        int root = id(d, "Failed login for root from 10.0.0.2 port 22 ssh2");
        assertNotEquals(uucp, root);
        // a masked user name generalises root's template; uucp's template is the same event
        int masked = id(d, "Failed login for user1234 from 10.0.0.3 port 22 ssh2");
        assertEquals(d.resolve(root), masked);
        assertEquals(masked, d.resolve(uucp));
        assertEquals(masked, id(d, "Failed login for ftp from 10.0.0.4 port 22 ssh2"));
        assertEquals(1, d.store().size());
        assertEquals(4, d.store().entries().get(0).occurrences(), "occurrences move with the merged id");
    }

    @Test
    void oneKeyWithAnotherWordIsAnotherEventButSeveralFieldsVaryingTogetherAreOne() {
        Drain d = Drain.builder().build();
        int root = id(d, "auth failure; tty=console rhost=10.0.0.1 user=root");
        int guest = id(d, "auth failure; tty=console rhost=10.0.0.2 user=guest");
        assertNotEquals(root, guest);
        int a = id(d, "wake lock acquired, tag=Audio, name=mixer, uid=1000");
        int b = id(d, "wake lock acquired, tag=Radio, name=modem, uid=1001");
        assertEquals(a, b);
        assertEquals("wake lock acquired, tag=<*>, name=<*>, uid=<*>", d.template(a).orElseThrow());
    }

    @Test
    void anEmptyFieldIsAnotherEventButEmptyBracketsAreAnEmptyValue() {
        Drain d = Drain.builder().build();
        int filled = id(d, "check failed; ruser= rhost=10.0.0.9");
        int empty = id(d, "check failed; ruser= rhost=");
        assertNotEquals(filled, empty);
        int named = id(d, "connection from 10.0.0.1 (gw.example.net) at 12:00:01");
        int unnamed = id(d, "connection from 10.0.0.2 () at 12:00:02");
        assertEquals(named, unnamed);
    }

    @Test
    void generalisingKeepsTheKeysAndBracketsAroundAValue() {
        Drain d = Drain.builder().build();
        for (String user : new String[]{"root", "alice", "bob"}) {
            add(d, "login accepted for user=" + user + " on console");
            add(d, "job finished in [" + user + "] queue");
        }
        ParsedEvent keyed = add(d, "login accepted for user=dave on console");
        ParsedEvent bracketed = add(d, "job finished in [dave] queue");
        assertEquals("login accepted for user=<*> on console", keyed.template());
        assertEquals(List.of("dave"), keyed.parameters());
        assertEquals("job finished in [<*>] queue", bracketed.template());
        assertEquals(List.of("dave"), bracketed.parameters());
    }

    @Test
    void aQualifiedNameAsTheValueOfAKeyIsAVariable() {
        Drain d = Drain.builder().build();
        assertEquals(id(d, "skipping intent { flg=0x1 cmp=org.example.mail/.ComposeActivity }"),
                id(d, "skipping intent { flg=0x2 cmp=org.example.music/.player.LockActivity }"));
        // a bare qualified name is a word like any other
        assertNotEquals(id(d, "received broadcast org.example.action.TIME_TICK"),
                id(d, "received broadcast org.example.action.BATTERY_LOW"));
    }

    @Test
    void theCapEvictsTheLeastRecentlyUsedTemplateAndNeverGivesItsIdAgain() {
        Drain d = Drain.builder().maxTemplates(3).build();
        int a = id(d, "alpha service started");
        int b = id(d, "beta worker joined pool");
        int c = id(d, "gamma cache was flushed now");
        assertEquals(a, id(d, "alpha service started"));     // a is used again: b is now the oldest unused
        int e = id(d, "delta queue drained fully today ok");
        assertEquals(1, d.evicted());
        assertEquals(3, d.store().size());
        assertFalse(d.template(b).isPresent(), "beta was the least recently used");
        assertTrue(d.template(a).isPresent());
        assertTrue(d.template(c).isPresent());
        // beta comes back as a new template with a new id
        int b2 = id(d, "beta worker joined pool");
        assertTrue(b2 > e && b2 != b, "ids are never reused: " + b2);
        assertEquals(2, d.evicted());
        assertEquals(2, d.store().evicted());
    }
}
