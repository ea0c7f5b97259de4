package io.anomalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.core.template.TemplateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseCommandTest {

    @TempDir
    Path dir;

    private static final Path HDFS_2K = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/loghub/HDFS/HDFS_2k.log");


    @Test
    void parsesTheBundledHdfsSampleIntoLoghubCsv() throws Exception {
        Path out = dir.resolve("hdfs");
        CliRun r = CliRun.of("parse", "--format", "hdfs", "--input", HDFS_2K.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("hdfs_structured.csv"));
        assertEquals(2001, rows.size());
        assertEquals("LineId,Date,Time,Pid,Level,Component,Content,EventId,EventTemplate,ParameterList", rows.get(0));
        assertTrue(rows.get(1).startsWith("1,081109,203615,148,INFO,dfs.DataNode$PacketResponder,"), rows.get(1));
        assertTrue(rows.get(1).contains("PacketResponder <*> for block <*> terminating"), rows.get(1));
        List<String> templates = Files.readAllLines(dir.resolve("hdfs_templates.csv"));
        assertEquals("EventId,EventTemplate,Occurrences,MergedInto", templates.get(0));
        java.util.regex.Pattern tail = java.util.regex.Pattern.compile(",(\\d+),(E\\d+)?$");
        long total = templates.stream().skip(1).mapToLong(l -> {
            java.util.regex.Matcher m = tail.matcher(l);
            assertTrue(m.find(), l);
            return Long.parseLong(m.group(1));
        }).sum();
        assertEquals(2000, total);
        String err = r.err();
        assertTrue(err.contains("parsed 2,000 lines"), err);
        assertTrue(err.contains("header mismatches: 0"), err);
    }

    private static final Path BGL_2K = HDFS_2K.getParent().getParent().resolve("BGL/BGL_2k.log");

    /** Every file a run wrote, by name, and what it printed but the timing. */
    private java.util.Map<String, String> outputs(Path folder, CliRun r) throws Exception {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (var listing = Files.list(folder)) {
            for (Path f : listing.toList()) {
                files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        files.put("(summary)", r.err().replaceAll("in [0-9.]+ s, [0-9,]+ lines/s", "").replace(folder.toString(), ""));
        return files;
    }

    private java.util.Map<String, String> parseWith(int threads, Path input, String... options) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("threads" + threads + "-" + input.getFileName()
                + String.join("", options).replaceAll("[^a-z0-9]", "")));
        List<String> args = new java.util.ArrayList<>(List.of("parse", "-i", input.toString(), "-o",
                folder.resolve("p").toString(), "--templates", folder.resolve("store.json").toString(), "--threads",
                Integer.toString(threads)));
        args.addAll(List.of(options));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return outputs(folder, r);
    }

    @Test
    void theOutputIsTheSameForAnyNumberOfThreads() throws Exception {
        Path bad = dir.resolve("bad.log");
        var bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            bytes.writeBytes(Files.readAllLines(HDFS_2K).get(i).getBytes(StandardCharsets.US_ASCII));
            bytes.write('\n');
            if (i % 7 == 0) {
                bytes.writeBytes(new byte[]{(byte) 0x81, (byte) 0x92, (byte) 0xA3, 0x01, 0x02, '\r', '\n', '\n'});
            }
            if (i % 11 == 0) {
                bytes.writeBytes("no header here, \"quoted\" caf\u00e9\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(bad, bytes.toByteArray());
        List<List<String>> runs = List.of(
                List.of(BGL_2K.toString(), "--format", "bgl"),
                List.of(HDFS_2K.toString(), "--format", "hdfs", "--max-templates", "3"),
                List.of(bad.toString(), "--format", "hdfs", "--on-mismatch", "dead-letter", "--max-line-bytes", "60"),
                List.of(bad.toString(), "--format", "hdfs", "--output-format", "jsonl"));
        for (List<String> run : runs) {
            Path input = Path.of(run.get(0));
            String[] options = run.subList(1, run.size()).toArray(String[]::new);
            var one = parseWith(1, input, options);
            assertTrue(one.keySet().stream().anyMatch(f -> f.startsWith("p_structured")), one.keySet().toString());
            for (int threads : new int[]{2, 4}) {
                var many = parseWith(threads, input, options);
                assertEquals(one.keySet(), many.keySet(), run + " on " + threads + " threads");
                for (String file : one.keySet()) {
                    assertEquals(one.get(file), many.get(file), file + " of " + run + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void writingPastThePageCacheOrThroughItGivesTheSameBytes() throws Exception {
        var direct = parseWith(2, HDFS_2K, "--format", "hdfs");
        var cached = parseWith(2, HDFS_2K, "--format", "hdfs", "--no-direct-output");
        assertEquals(direct.keySet(), cached.keySet());
        for (String file : direct.keySet()) {
            assertEquals(direct.get(file), cached.get(file), file);
        }
    }

    @Test
    void templateStoreKeepsIdsAcrossRuns() throws Exception {
        Path store = dir.resolve("store.json");
        Path half = dir.resolve("half.log");
        List<String> lines = Files.readAllLines(HDFS_2K);
        Files.write(half, lines.subList(0, 300));
        assertEquals(0, CliRun.of("parse", "--format", "hdfs", "-i", half.toString(), "-o", dir.resolve("a").toString(),
                "--templates", store.toString()).code());
        TemplateStore first = TemplateStore.load(store);
        assertEquals(0, CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("b").toString(),
                "--templates", store.toString()).code());
        TemplateStore second = TemplateStore.load(store);
        assertTrue(second.size() >= first.size());
        for (var e : first.entries()) {
            int now = second.resolve(e.id());
            assertTrue(second.get(now).isPresent(), "id " + e.id() + " lost");
        }
        assertNotEquals(first.hash(), second.hash());
    }

    @Test
    void aStoreMadeWithOtherMinerSettingsIsRefusedUnlessTheOverrideIsGiven() throws Exception {
        Path store = dir.resolve("store.json");
        assertEquals(0, CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("a").toString(),
                "--templates", store.toString(), "--similarity", "0.4").code());
        // the store's own settings are used when none are given
        CliRun same = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("b").toString(),
                "--templates", store.toString());
        assertEquals(0, same.code(), same.err());
        CliRun other = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o",
                dir.resolve("c").toString(), "--templates", store.toString(), "--similarity", "0.6");
        assertEquals(AnomalogCli.EXIT_USAGE, other.code());
        assertTrue(other.err().contains("was made with other miner settings: similarity 0.4 (asked: 0.6)"), other.err());
        assertTrue(Files.notExists(dir.resolve("c_structured.csv")), "nothing written");
        CliRun forced = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o",
                dir.resolve("d").toString(), "--templates", store.toString(), "--similarity", "0.6",
                "--override-miner-settings");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("0.6", TemplateStore.load(store).settings().get("similarity"));
    }

    @Test
    void aTruncatedInputLeavesTheEarlierOutputAsItWas() throws Exception {
        Path gz = dir.resolve("cut.log.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(HDFS_2K));
        }
        byte[] whole = Files.readAllBytes(gz);
        assertEquals(0, CliRun.of("parse", "--format", "hdfs", "-i", gz.toString(), "-o", dir.resolve("x").toString())
                .code());
        byte[] before = Files.readAllBytes(dir.resolve("x_structured.csv"));
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun cut = CliRun.of("parse", "--format", "hdfs", "-i", gz.toString(), "-o", dir.resolve("x").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, cut.code(), cut.err());
        assertTrue(cut.err().contains("cannot read " + gz), cut.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(dir.resolve("x_structured.csv")));
    }

    @Test
    void jsonEventsKeepEveryFieldTypedInTheJsonOutput() throws Exception {
        Path in = dir.resolve("app.jsonl");
        Files.writeString(in, "{\"ts\":\"2024-05-01T10:00:00Z\",\"level\":\"ERROR\",\"service\":\"orders\","
                + "\"message\":\"payment 77 failed\",\"http\":{\"status\":503}}\n");
        CliRun r = CliRun.of("parse", "--json-field", "message", "-i", in.toString(), "-o", dir.resolve("j").toString(),
                "--output-format", "jsonl");
        assertEquals(0, r.code(), r.err());
        var n = io.anomalog.core.io.Json.MAPPER.readTree(Files.readString(dir.resolve("j_structured.jsonl")));
        assertEquals(503, n.get("fields").get("http.status").asInt());
        assertTrue(n.get("fields").get("http.status").isIntegralNumber());
        assertEquals("ERROR", n.get("level").asText());
        assertEquals("orders", n.get("component").asText());
        assertEquals("2024-05-01T10:00:00Z", n.get("time").asText());
        assertEquals("77", n.get("parameters").get(0).asText());
    }

    @Test
    void aCapOnTemplatesEvictsTheLeastRecentlyUsedReportsItAndLosesNoLine() throws Exception {
        Path store = dir.resolve("capped.json");
        CliRun r = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("c").toString(),
                "--templates", store.toString(), "--max-templates", "3");
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("c_structured.csv"));
        assertEquals(2001, rows.size(), "every line is written, whatever was evicted");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) evicted \\(cap 3\\)").matcher(r.err());
        assertTrue(m.find(), r.err());
        long evicted = Long.parseLong(m.group(1));
        assertTrue(evicted > 0, r.err());
        TemplateStore saved = TemplateStore.load(store);
        assertTrue(saved.size() <= 3);
        assertEquals(evicted, saved.evicted());
        // evicted ids are not given again: the store's next id lies above every id written
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String row : rows.subList(1, rows.size())) {
            ids.add(row.replaceAll(".*,(E\\d+),.*", "$1"));
        }
        int highest = ids.stream().mapToInt(i -> Integer.parseInt(i.substring(1))).max().orElse(0);
        assertTrue(saved.nextId() > highest);
        assertTrue(ids.size() > 3 + evicted - 1, "each new template after an eviction got a fresh id: " + ids);
    }

    @Test
    void templatesThatKeepGrowingAreWarnedAbout() throws Exception {
        Path in = dir.resolve("growing.log");
        StringBuilder sb = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 12_000; i++) {
            if (i % 4 != 0) {
                sb.append("worker ").append(i).append(" heartbeat\n");
                continue;
            }
            // two names made of letters only escape every masking rule and open a template per line
            StringBuilder name = new StringBuilder();
            for (int k = 0; k < 17; k++) {
                name.append(k == 8 ? ' ' : (char) ('a' + random.nextInt(26)));
            }
            sb.append(name).append(" joined\n");
        }
        Files.writeString(in, sb.toString());
        CliRun r = CliRun.of("parse", "--format", "raw", "-i", in.toString(), "-o", dir.resolve("g").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: templates still growing after 12,000 lines"), r.err());
        assertTrue(r.err().contains(" joined"), r.err());
        // a log whose events repeat gives no warning
        Path steady = dir.resolve("steady.log");
        Files.writeString(steady, "worker joined the pool\n".repeat(12_000));
        CliRun s = CliRun.of("parse", "--format", "raw", "-i", steady.toString(), "-o", dir.resolve("s").toString());
        assertEquals(0, s.code(), s.err());
        assertFalse(s.err().contains("still growing"), s.err());
    }

    @Test
    void jsonLinesOutput() throws Exception {
        Path in = dir.resolve("events.jsonl");
        Files.writeString(in, "{\"message\":\"disk full on /dev/sda1\",\"host\":{\"name\":\"web-1\"}}\n"
                + "not json at all\n");
        CliRun r = CliRun.of("parse", "--format", "filebeat", "-i", in.toString(), "-o", dir.resolve("j").toString(),
                "--output-format", "jsonl");
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("j_structured.jsonl"));
        assertEquals(2, rows.size());
        JsonNode first = Json.MAPPER.readTree(rows.get(0));
        assertEquals("web-1", first.get("host").asText());
        assertEquals("disk full on <*>", first.get("template").asText());
        assertEquals("/dev/sda1", first.get("parameters").get(0).asText());
        JsonNode second = Json.MAPPER.readTree(rows.get(1));
        assertFalse(second.get("headerMatched").asBoolean());
        assertTrue(r.err().contains("header mismatches: 1"));
    }

    @Test
    void badBytesAreKeptCountedOrDeadLettered() throws Exception {
        Path in = dir.resolve("bad.log");
        byte[] binary = new byte[200];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (0x80 + (i % 60));
        }
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("081109 203615 148 INFO dfs.DataNode: ok line\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(binary);
        bytes.writeBytes("\n081109 203615 148 INFO dfs.DataNode: caf\u00e9 \0 line\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(("081109 203615 148 INFO dfs.DataNode: " + "y".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(in, bytes.toByteArray());
        CliRun r = CliRun.of("parse", "--format", "hdfs", "-i", in.toString(), "-o", dir.resolve("x").toString(),
                "--max-line-bytes", "1000");
        String err = r.err();
        assertEquals(0, r.code(), err);
        assertTrue(err.contains("truncated lines: 1"), err);
        assertTrue(err.contains("empty lines skipped: 1"), err);
        assertTrue(err.contains("unusable lines: 1"), err);
        List<String> dead = Files.readAllLines(dir.resolve("x_deadletter.jsonl"));
        assertEquals(1, dead.size());
        assertEquals(3, Json.MAPPER.readTree(dead.get(0)).get("lineNumber").asInt());
        List<String> rows = Files.readAllLines(dir.resolve("x_structured.csv"));
        assertEquals(4, rows.size(), String.join("\n", rows));
    }

    @Test
    void aBinaryFileIsRefusedOnAnyNumberOfThreadsAndWritesNoOutput() throws Exception {
        byte[] junk = new byte[128 * 1024];
        new java.util.Random(7).nextBytes(junk);
        Path bin = dir.resolve("program");
        Files.write(bin, junk);
        for (String threads : List.of("1", "2")) {
            Path prefix = dir.resolve("bin" + threads);
            CliRun r = CliRun.of("parse", "--format", "raw", "--threads", threads, "-i", bin.toString(),
                    "-o", prefix.toString());
            assertEquals(AnomalogCli.EXIT_USAGE, r.code(), r.err());
            assertTrue(r.err().contains(bin + " looks like a binary file, not a log"), r.err());
            assertTrue(Files.notExists(dir.resolve("bin" + threads + "_structured.csv")), "no output on " + threads);
        }
    }

    @Test
    void unknownFormatIsExitCode2WithTheKnownNames() {
        CliRun r = CliRun.of("parse", "--format", "nosuch", "-i", HDFS_2K.toString(), "-o", dir.resolve("o").toString());
        assertEquals(2, r.code());
        String err = r.err();
        assertTrue(err.contains("anomalog: error: unknown log format 'nosuch'"), err);
        assertTrue(err.contains("hdfs") && err.contains("openstack") && err.contains("filebeat"), err);
    }

    @Test
    void missingInputIsExitCode2() {
        CliRun r = CliRun.of("parse", "--format", "hdfs", "-i", dir.resolve("none.log").toString(), "-o", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void unreadableInputIsExitCode2() throws Exception {
        Path locked = dir.resolve("locked.log");
        Files.writeString(locked, "x\n");
        boolean changed = locked.toFile().setReadable(false);
        if (!changed || Files.isReadable(locked)) {
            return; // running as root: permissions are not enforced, nothing to check here
        }
        CliRun r = CliRun.of("parse", "--format", "hdfs", "-i", locked.toString(), "-o", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not readable"), r.err());
    }

    @Test
    void corruptTemplateStoreIsExitCode2() throws Exception {
        Path store = dir.resolve("store.json");
        Files.writeString(store, "{\"formatVersion\": 1, \"templates\": 17}");
        CliRun r = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("o").toString(),
                "--templates", store.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("anomalog: error: template store"), r.err());
        assertTrue(r.err().contains("corrupt"), r.err());
        Files.writeString(store, "{\"formatVersion\": 7, \"templates\": []}");
        r = CliRun.of("parse", "--format", "hdfs", "-i", HDFS_2K.toString(), "-o", dir.resolve("o").toString(),
                "--templates", store.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("newer"), r.err());
    }

    @Test
    void customRegexAndBadRegex() throws Exception {
        Path in = dir.resolve("c.log");
        Files.writeString(in, "WARN queue 7 full\nINFO queue 9 full\n");
        CliRun r = CliRun.of("parse", "--regex", "(?<level>[A-Z]+) (?<content>.*)", "-i", in.toString(), "-o",
                dir.resolve("c").toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("c_structured.csv"));
        assertEquals("LineId,level,Content,EventId,EventTemplate,ParameterList", rows.get(0));
        assertTrue(rows.get(2).endsWith("queue <*> full,['9']"), rows.get(2));
        r = CliRun.of("parse", "--regex", "(?<level>[A-Z]+", "-i", in.toString(), "-o", dir.resolve("c").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("invalid --regex"), r.err());
    }
}
