package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainTest {

    private static ParsedEvent add(Drain d, String content) {
        return d.add(LogRecord.ofContent(content));
    }

    @Test
    void groupsLinesOfOneEventAndExtractsParameters() {
        Drain d = Drain.builder().build();
        ParsedEvent a = add(d, "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010");
        ParsedEvent b = add(d, "Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.215.16:50010");
        assertEquals(a.templateId(), b.templateId());
        assertEquals("Receiving block <*> src: <*> dest: <*>", b.template());
        assertEquals(List.of("blk_7503483334202473044", "/10.251.215.16:55695", "/10.251.215.16:50010"), b.parameters());
    }

    @Test
    void generalisesDifferingTokensAndRecordsIt() {
        Drain d = Drain.builder().build();
        ParsedEvent a = add(d, "Verification succeeded for blk_1 on port (eth0)");
        ParsedEvent b = add(d, "Verification succeeded for blk_2 on port (eth1)");
        assertEquals(a.templateId(), b.templateId());
        assertEquals("Verification succeeded for <*> on port (<*>)", b.template());
        assertEquals(List.of("blk_2", "eth1"), b.parameters());
        var gens = d.store().generalisations();
        assertEquals(1, gens.size());
        assertEquals(a.templateId(), gens.get(0).id());
        assertEquals("Verification succeeded for <*> on port (eth0)", gens.get(0).from());
        assertEquals("Verification succeeded for <*> on port (<*>)", gens.get(0).to());
    }

    @Test
    void differentWordsKeepEventsApart() {
        Drain d = Drain.builder().build();
        int opened = add(d, "session opened for user root by uid=0").templateId();
        int closed = add(d, "session closed for user root by uid=0").templateId();
        assertNotEquals(opened, closed);
        // plain Drain (no word guard) merges them at similarity 0.5
        Drain plain = Drain.builder().keepWords(false).variableSiblings(0).build();
        assertEquals(add(plain, "session opened for user root by uid=0").templateId(),
                add(plain, "session closed for user root by uid=0").templateId());
    }

    @Test
    void manyWordsAtOnePositionBecomeAVariableAndIdsAlias() {
        Drain d = Drain.builder().variableSiblings(4).build();
        int first = add(d, "Invalid user admin from 1.2.3.4").templateId();
        int second = add(d, "Invalid user oracle from 1.2.3.5").templateId();
        int third = add(d, "Invalid user test from 1.2.3.6").templateId();
        assertEquals(3, d.store().size());
        ParsedEvent fourth = add(d, "Invalid user guest from 1.2.3.7");
        assertEquals(first, fourth.templateId());
        assertEquals("Invalid user <*> from <*>", fourth.template());
        assertEquals(List.of("guest", "1.2.3.7"), fourth.parameters());
        assertEquals(first, d.resolve(second));
        assertEquals(first, d.resolve(third));
        assertEquals(1, d.store().size());
        assertEquals(first, d.store().resolve(third));
    }

    @Test
    void wildcardOnlyTemplatesDoNotSwallowWordLines() {
        Drain d = Drain.builder().build();
        int numbers = add(d, "0x1 0x2 0x3 0x4").templateId();
        int words = add(d, "iar 0x0012 dear 0x0023").templateId();
        assertNotEquals(numbers, words);
        assertEquals(numbers, add(d, "5 6 7 8").templateId());
    }

    @Test
    void matchOnlyLooksUp() {
        Drain d = Drain.builder().build();
        int id = add(d, "Deleting block blk_1 file /a/b/c").templateId();
        Optional<ParsedEvent> m = d.match(LogRecord.ofContent("Deleting block blk_99 file /x/y/z"));
        assertTrue(m.isPresent());
        assertEquals(id, m.get().templateId());
        assertEquals(List.of("blk_99", "/x/y/z"), m.get().parameters());
        assertFalse(d.match(LogRecord.ofContent("something entirely different here")).isPresent());
        assertEquals(1, d.store().size());
        assertEquals(1, d.store().entries().get(0).occurrences());
    }

    @Test
    void shortMessagesAndEmptyContentAreStoredAndMatched() {
        Drain d = Drain.builder().depth(6).build();
        int a = add(d, "ok").templateId();
        assertEquals(a, add(d, "ok").templateId());
        int e = add(d, "").templateId();
        assertEquals(e, add(d, "").templateId());
        assertEquals("", d.template(e).orElseThrow());
    }

    @Test
    void regexMaskingStillYieldsParameters() {
        Drain d = Drain.builder().masking(MaskingRules.builder().regex("0x.*?\\s").build()).build();
        ParsedEvent e = add(d, "handle 0xdead beef done");
        assertEquals("handle <*>beef done", e.template());
        assertEquals(List.of("0xdead "), e.parameters());
    }

    @Test
    void builderValidates() {
        assertThrows(AnomalogException.class, () -> Drain.builder().depth(2));
        assertThrows(AnomalogException.class, () -> Drain.builder().similarity(1.5));
        assertThrows(AnomalogException.class, () -> Drain.builder().maxChildren(1));
    }

    @Test
    void maxChildrenSendsFurtherTokensToAWildcardChild() {
        Drain d = Drain.builder().maxChildren(3).build();
        Set<Integer> ids = new HashSet<>();
        for (String w : new String[]{"alpha", "beta", "gamma", "delta", "epsilon"}) {
            ids.add(add(d, w + " started service").templateId());
        }
        // all five still get a template each or share: lines must stay findable
        for (String w : new String[]{"alpha", "beta", "gamma", "delta", "epsilon"}) {
            assertTrue(d.match(LogRecord.ofContent(w + " started service")).isPresent(), w);
        }
        assertTrue(ids.size() >= 1);
    }

    @Test
    void concurrentAddsAgreeOnIds() throws Exception {
        Drain d = Drain.builder().build();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add("worker " + (i % 7) + " finished job job" + i + " in " + i + " ms");
            lines.add("connection from 10.0.0." + (i % 250) + " closed");
            lines.add("cache miss for key k" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> parts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                parts.add(pool.submit(() -> {
                    List<Integer> ids = new ArrayList<>();
                    for (String l : lines) {
                        ids.add(add(d, l).templateId());
                    }
                    return ids;
                }));
            }
            List<List<Integer>> all = new ArrayList<>();
            for (var f : parts) {
                all.add(f.get());
            }
            for (List<Integer> ids : all) {
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(d.resolve(all.get(0).get(i)), d.resolve(ids.get(i)), "line " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, d.store().size());
        long total = d.store().entries().stream().mapToLong(TemplateStore.Entry::occurrences).sum();
        assertEquals(4L * lines.size(), total);
    }
}
