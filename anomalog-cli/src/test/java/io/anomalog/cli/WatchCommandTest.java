package io.anomalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code anomalog watch} as an operator runs it: on a log file, learning first, then detecting; stopped and started again. */
class WatchCommandTest {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void badOptionsAreClearErrorsBeforeAnythingStarts() {
        CliRun both = CliRun.of("watch", "--path", "x.log", "--model", dir.toString(), "--learn", "5m",
                "--data", dir.resolve("d").toString());
        assertNotEquals(0, both.code());
        assertTrue(both.err().contains("--model DIR or --learn DURATION, not both"), both.err());
        CliRun http = CliRun.of("watch", "--path", "x.log", "--http", "localhost", "--data", dir.resolve("d").toString());
        assertNotEquals(0, http.code());
        assertTrue(http.err().contains("--http: expected ADDRESS:PORT"), http.err());
        CliRun learn = CliRun.of("watch", "--path", "x.log", "--learn", "10", "--data", dir.resolve("d").toString());
        assertNotEquals(0, learn.code());
        CliRun host = CliRun.of("watch", "--path", "x.log", "--host", "a b", "--data", dir.resolve("d").toString());
        assertNotEquals(0, host.code());
        assertTrue(host.err().contains("--host"), host.err());
        CliRun token = CliRun.of("watch", "--path", "x.log", "--http-token", "short", "--data", dir.resolve("d").toString(),
                "--model", dir.resolve("none").toString());
        assertNotEquals(0, token.code());
        assertFalse(Files.exists(dir.resolve("d").resolve("kafka")), "nothing started");
    }

    private Process start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Danomalog.repo=" + DeepLogCommandsTest.REPO.toAbsolutePath(), AnomalogCli.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("out").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private String output(String name) {
        try {
            Path log = dir.resolve("out").resolve(name + ".log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, Duration max, BooleanSupplier done, Process p, String out) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new AssertionError(what + (p.isAlive() ? " did not happen within " + max : ": watch ended"));
            }
            Thread.sleep(250);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    @Timeout(400)
    void watchLearnsFromTheFirstPeriodThenDetectsShowsTheAnomalyInTheConsoleAndResumesAfterARestart() throws Exception {
        Path logs = dir.resolve("var").resolve("hdfs.log");
        Files.createDirectories(logs.getParent());
        List<String> normal = Files.readAllLines(DeepLogCommandsTest.REPO.resolve("data/hdfs/HDFS_5k.log")).subList(0, 3000);
        Files.write(logs, normal);
        Path data = dir.resolve("data");
        String[] args = {"watch", "--path", dir.resolve("var").toString() + "/*.log", "--host", "node1",
                "--format", "hdfs", "--session-id", "blk_-?\\d+", "--session-gap", "2s", "--learn", "5s",
                "--method", "ngram", "--data", data.toString(), "--http", "127.0.0.1:0"};
        Process first = start("first", args);
        try {
            await("the detector", Duration.ofSeconds(240), () -> output("first").contains("console at http"), first, "first");
            String out = output("first");
            assertTrue(out.contains("learning from the lines of the next 5s"), out);
            assertTrue(out.contains("console token (shown once; kept owner-only in"), out);
            Path tokenFile = data.resolve("console-token.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            Matcher m = Pattern.compile("console at (http://127\\.0\\.0\\.1:\\d+/)").matcher(out);
            assertTrue(m.find(), out);
            String console = m.group(1);

            // a session the first period never showed: a template nobody saw, for a new block
            Files.write(logs, List.of(
                    "081109 213000 35 INFO dfs.DataNode$PacketResponder: Checksum storm on volume 7 for block blk_4242424242",
                    "081109 213001 35 WARN dfs.DataNode$PacketResponder: Checksum storm on volume 9 for block blk_4242424242",
                    "081109 213002 35 WARN dfs.DataNode$PacketResponder: Volume 9 unmounted under block blk_4242424242"),
                    StandardOpenOption.APPEND);
            await("the anomaly on standard output", Duration.ofSeconds(90),
                    () -> output("first").contains("node1 blk_4242424242"), first, "first");
            JsonNode list = get(console + "api/anomalies?host=node1&limit=500");
            assertTrue(list.get("items").findValuesAsText("sessionId").contains("blk_4242424242"), list.toString());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- watch:\n" + output("first"), e);
        }
        first.destroy(); // SIGTERM, as Ctrl-C
        assertTrue(first.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "watch stops on SIGTERM");

        Process second = start("second", args);
        try {
            await("the restarted detector", Duration.ofSeconds(240), () -> output("second").contains("console at http"),
                    second, "second");
            String out = output("second");
            assertFalse(out.contains("learning from"), "the learnt model is used again\n" + out);
            assertFalse(out.contains("console token (shown once"), "the token is printed once only\n" + out);
            Matcher m = Pattern.compile("console at (http://127\\.0\\.0\\.1:\\d+/) \\((\\d+) earlier anomalies\\)").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Integer.parseInt(m.group(2)) > 0, "the history is rebuilt from the kept topics\n" + out);
            JsonNode list = get(m.group(1) + "api/anomalies?host=node1&limit=500");
            assertTrue(list.get("items").findValuesAsText("sessionId").contains("blk_4242424242"), list.toString());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- watch again:\n" + output("second"), e);
        }
    }
}
