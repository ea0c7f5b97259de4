package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFormatsTest {

    @TempDir
    Path dir;

    @Test
    void hdfsHeaderIsSplitByTheScanner() {
        LogFormat f = LogFormats.byName("HDFS");
        LogRecord r = f.parse("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
                + "blk_38865049064139660 terminating", "x", 1, 0);
        assertTrue(r.headerMatched());
        assertEquals(List.of("Date", "Time", "Pid", "Level", "Component"), f.fieldNames());
        assertEquals("148", r.field("Pid"));
        assertEquals("dfs.DataNode$PacketResponder", r.field("Component"));
        assertEquals("PacketResponder 1 for block blk_38865049064139660 terminating", r.content());
        assertEquals("081109 203615", r.timestamp());
    }

    @Test
    void windowsHeaderWithWhitespaceRuns() {
        LogRecord r = LogFormats.byName("windows").parse("2016-09-28 04:30:30, Info                  CBS    "
                + "Loaded Servicing Stack v6.1.7601.23505 with Core", "x", 1, 0);
        assertTrue(r.headerMatched());
        assertEquals("Info", r.field("Level"));
        assertEquals("CBS", r.field("Component"));
        assertEquals("Loaded Servicing Stack v6.1.7601.23505 with Core", r.content());
    }

    @Test
    void optionalGroupsUseTheRegexPath() {
        LogFormat linux = LogFormats.byName("linux");
        LogRecord withPid = linux.parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown", "x", 1, 0);
        assertEquals("sshd(pam_unix)", withPid.field("Component"));
        assertEquals("19939", withPid.field("PID"));
        assertEquals("check pass; user unknown", withPid.content());
        LogRecord without = linux.parse("Jun 15 04:06:18 combo su(pam_unix): session opened", "x", 2, 0);
        assertTrue(without.headerMatched());
        assertEquals("su(pam_unix)", without.field("Component"));
        assertEquals("", without.field("PID"));
        assertEquals("combo", without.field("Level"));
    }

    @Test
    void aLineThatDoesNotMatchIsKeptWhole() {
        LogRecord r = LogFormats.byName("hdfs").parse("garbage without a header", "src", 7, 42);
        assertFalse(r.headerMatched());
        assertEquals("garbage without a header", r.content());
        assertEquals(7, r.lineNumber());
        assertEquals(42, r.offset());
    }

    @Test
    void unknownNameListsTheKnownFormats() {
        var e = assertThrows(AnomalogException.class, () -> LogFormats.byName("nosuch"));
        assertTrue(e.getMessage().contains("unknown log format 'nosuch'"), e.getMessage());
        for (String known : new String[]{"hdfs", "bgl", "openstack", "zookeeper", "proxifier", "filebeat", "json", "raw"}) {
            assertTrue(e.getMessage().contains(known), known);
        }
    }

    @Test
    void everySystemPresetParsesItsSpec() {
        for (String s : LogFormats.systems()) {
            LogFormat f = LogFormats.byName(s);
            assertFalse(f.fieldNames().isEmpty(), s);
            assertFalse(f.fieldNames().contains("Content"), s);
        }
        assertEquals(16, LogFormats.systems().size());
    }

    @Test
    void filebeatEventsNestedOrDotted() {
        LogFormat f = LogFormats.byName("filebeat");
        LogRecord nested = f.parse("{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"message\":\"disk full\","
                + "\"host\":{\"name\":\"web-1\"},\"log\":{\"file\":{\"path\":\"/var/log/a.log\"},\"offset\":1234}}", "topic", 3, -1);
        assertTrue(nested.headerMatched());
        assertEquals("disk full", nested.content());
        assertEquals("web-1", nested.host());
        assertEquals("/var/log/a.log", nested.source());
        assertEquals(1234, nested.offset());
        assertEquals("2024-01-01T00:00:00Z", nested.timestamp());
        LogRecord dotted = f.parse("{\"message\":\"ok\",\"host.name\":\"db-2\",\"log.offset\":5}", "t", 1, -1);
        assertEquals("db-2", dotted.host());
        assertEquals(5, dotted.offset());
    }

    @Test
    void jsonWithCustomFieldAndBadJsonKept() {
        LogFormat f = LogFormats.json("event.text");
        assertEquals("hello", f.parse("{\"event\":{\"text\":\"hello\"}}", "s", 1, 0).content());
        LogRecord bad = f.parse("{not json", "s", 2, 0);
        assertFalse(bad.headerMatched());
        assertEquals("{not json", bad.content());
        LogRecord noField = f.parse("{\"other\":1}", "s", 3, 0);
        assertFalse(noField.headerMatched());
        assertThrows(AnomalogException.class, () -> LogFormats.json(" "));
    }

    @Test
    void customRegexWithNamedGroups() {
        LogFormat f = LogFormats.regex("(?<timestamp>\\S+ \\S+) (?<level>[A-Z]+) (?<host>\\S+): (?<content>.*)");
        LogRecord r = f.parse("2024-01-01 10:00:00 WARN node7: queue is full", "s", 1, 0);
        assertTrue(r.headerMatched());
        assertEquals("queue is full", r.content());
        assertEquals("node7", r.host());
        assertEquals("WARN", r.field("level"));
        assertEquals(List.of("timestamp", "level", "host"), f.fieldNames());
        assertFalse(f.parse("no match", "s", 2, 0).headerMatched());
        assertThrows(AnomalogException.class, () -> LogFormats.regex("(?<level>\\w+) (.*)"));
        assertThrows(AnomalogException.class, () -> LogFormats.regex("(?<content>unclosed"));
    }

    @Test
    void formatFromAConfigFile() throws Exception {
        Path cfg = dir.resolve("fmt.properties");
        Files.writeString(cfg, "header=<Date> <Time> <Level> <Content>\n");
        LogRecord r = LogFormats.load(cfg).parse("2024-01-01 10:00 INFO started", "s", 1, 0);
        assertEquals("started", r.content());
        assertEquals("INFO", r.field("Level"));
        Files.writeString(cfg, "regex=(?<content>.*)\nformat=hdfs\n");
        assertThrows(AnomalogException.class, () -> LogFormats.load(cfg));
        assertThrows(AnomalogException.class, () -> LogFormats.load(dir.resolve("missing")));
        assertThrows(AnomalogException.class, () -> LogFormats.header("<Date> no content"));
    }

    @Test
    void rawKeepsTheWholeLine() {
        LogRecord r = LogFormats.raw().parse("  anything goes  ", "s", 1, 0);
        assertEquals("anything goes", r.content());
        assertNull(r.host());
    }
}
