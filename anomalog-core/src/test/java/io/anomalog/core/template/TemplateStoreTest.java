package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateStoreTest {

    @TempDir
    Path dir;

    private static int add(Drain d, String s) {
        return d.add(LogRecord.ofContent(s)).templateId();
    }

    @Test
    void roundTripKeepsIdsTextsCountsAndHash() throws Exception {
        Drain d = Drain.builder().build();
        int a = add(d, "Starting thread pool of size 8");
        int b = add(d, "Shutting down now");
        add(d, "Starting thread pool of size 16");
        Path file = dir.resolve("store.json");
        d.store().save(file);
        TemplateStore loaded = TemplateStore.load(file);
        assertEquals(d.store().hash(), loaded.hash());
        assertEquals(2, loaded.size());
        assertEquals("Starting thread pool of size <*>", loaded.get(a).orElseThrow().text());
        assertEquals(2, loaded.get(a).orElseThrow().occurrences());
        assertEquals("Shutting down now", loaded.get(b).orElseThrow().text());
        assertEquals("4", loaded.settings().get("depth"));
    }

    @Test
    void laterRunKeepsOldIdsAndNumbersNewTemplatesAfterThem() throws Exception {
        Path file = dir.resolve("store.json");
        Drain first = Drain.builder().build();
        int a = add(first, "Accepted password for alice from 1.2.3.4 port 22 ssh2");
        int b = add(first, "Connection closed by 1.2.3.4 [preauth]");
        first.store().save(file);

        Drain second = Drain.builder().store(TemplateStore.load(file)).build();
        assertEquals(b, add(second, "Connection closed by 5.6.7.8 [preauth]"));
        assertEquals(a, add(second, "Accepted password for alice from 9.9.9.9 port 2222 ssh2"));
        int c = add(second, "Received disconnect from 5.6.7.8: 11: Bye Bye [preauth]");
        assertTrue(c > Math.max(a, b));
        assertEquals(3, second.store().size());
        assertTrue(second.match(LogRecord.ofContent("Connection closed by 1.1.1.1 [preauth]")).isPresent());
        assertNotEquals(first.store().hash(), second.store().hash());
    }

    @Test
    void aliasesSurviveSaveAndLoad() throws Exception {
        Drain d = Drain.builder().variableSiblings(3).build();
        int first = add(d, "Invalid user admin from 1.2.3.4");
        int second = add(d, "Invalid user oracle from 1.2.3.4");
        add(d, "Invalid user test from 1.2.3.4");
        Path file = dir.resolve("s.json");
        d.store().save(file);
        Drain again = Drain.builder().store(TemplateStore.load(file)).build();
        assertEquals(first, again.resolve(second));
        assertEquals(first, add(again, "Invalid user nobody from 4.3.2.1"));
    }

    @Test
    void aLineCountedOnATemplateJustMergedAwayStillCountsOnTheTemplateThatTookItOver() {
        TemplateStore store = new TemplateStore();
        TemplateStore.Entry old = store.create("cache miss for key <*>");
        TemplateStore.Entry into = store.create("cache miss for <*> <*>");
        old.count();
        into.count();
        store.alias(old, into);
        // a parser thread that matched the old template before the merge counts on it after the merge
        old.count();
        assertEquals(3, into.occurrences());
        assertEquals(3, store.entries().stream().mapToLong(TemplateStore.Entry::occurrences).sum());
    }

    @Test
    void corruptFilesGiveClearErrors() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{ this is not json");
        var e = assertThrows(AnomalogException.class, () -> TemplateStore.load(bad));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

        Files.writeString(bad, "{\"templates\": []}");
        e = assertThrows(AnomalogException.class, () -> TemplateStore.load(bad));
        assertTrue(e.getMessage().contains("formatVersion"), e.getMessage());

        Files.writeString(bad, "{\"formatVersion\": 99, \"templates\": []}");
        e = assertThrows(AnomalogException.class, () -> TemplateStore.load(bad));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());

        Files.writeString(bad, "{\"formatVersion\": 1, \"templates\": [{\"id\": 1, \"template\": \"a\"},"
                + " {\"id\": 1, \"template\": \"b\"}]}");
        e = assertThrows(AnomalogException.class, () -> TemplateStore.load(bad));
        assertTrue(e.getMessage().contains("repeated id"), e.getMessage());

        e = assertThrows(AnomalogException.class, () -> TemplateStore.load(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void editedContentIsDetectedByTheHash() throws Exception {
        Drain d = Drain.builder().build();
        add(d, "disk full on volume data");
        Path file = dir.resolve("store.json");
        d.store().save(file);
        Files.writeString(file, Files.readString(file).replace("disk full", "disk empty"));
        var e = assertThrows(AnomalogException.class, () -> TemplateStore.load(file));
        assertTrue(e.getMessage().contains("hash"), e.getMessage());
    }

    @Test
    void loadOrEmptyStartsFresh() {
        TemplateStore s = TemplateStore.loadOrEmpty(dir.resolve("none.json"));
        assertEquals(0, s.size());
        assertEquals(1, s.nextId());
    }
}
