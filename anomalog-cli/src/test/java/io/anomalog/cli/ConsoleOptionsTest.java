package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's options of stream and demo are checked before anything connects or starts. */
class ConsoleOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aBadConsoleAddressOrTokenIsAClearErrorBeforeAnythingStarts() {
        CliRun stream = CliRun.of("stream", "--model", dir.resolve("none").toString(), "--bootstrap-servers",
                "127.0.0.1:1", "--http", "127.0.0.1:99999");
        assertNotEquals(0, stream.code());
        assertTrue(stream.err().contains("--http: port 99999 is out of range"), stream.err());
        CliRun demo = CliRun.of("demo", "--http-token", "tiny", "--work-dir", dir.toString());
        assertNotEquals(0, demo.code());
        assertTrue(demo.err().contains("--http-token: a token has at least 16 characters"), demo.err());
        CliRun host = CliRun.of("demo", "--http", "no.such.host.invalid:8080", "--work-dir", dir.toString());
        assertNotEquals(0, host.code());
        assertTrue(host.err().contains("--http: unknown host or address"), host.err());
    }
}
