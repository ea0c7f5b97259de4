package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input options that would leave part of the input unread are refused with a message, not ignored. */
class InputOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aLabelledFileWithoutItsHeaderIsRefused() throws Exception {
        Path noHeader = dir.resolve("rows.csv");
        Files.writeString(noHeader, "5 5 22 11 9,0\n5 22,1\n");
        CliRun r = CliRun.of("train", "lr", "--labelled", noHeader.toString(),
                "-o", dir.resolve("m").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("Sequence,label"), r.err());
        assertTrue(Files.notExists(dir.resolve("m")), "no model written");
    }

    @Test
    void aHeaderInAnotherCaseOrAfterAByteOrderMarkIsRead() throws Exception {
        Path file = dir.resolve("labelled.csv");
        StringBuilder rows = new StringBuilder("\uFEFFSequence,Label\n");
        for (int i = 0; i < 20; i++) {
            rows.append("5 5 22 11 9 26,0\n").append("5 22 7,1\n");
        }
        Files.writeString(file, rows);
        CliRun r = CliRun.of("train", "tree", "--labelled", file.toString(),
                "-o", dir.resolve("tree").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("on 40 sequences"), r.err());
    }

    @Test
    void logOptionsWithoutLogsAndMixedInputsAreRefused() {
        String sessions = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/hdfs/hdfs_train").toString();
        CliRun format = CliRun.of("train", "pca", "--sessions", sessions,
                "--format", "hdfs", "-o", dir.resolve("a").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, format.code(), format.err());
        assertTrue(format.err().contains("no --logs given"), format.err());

        CliRun mixed = CliRun.of("train", "pca", "--sessions", sessions,
                "--logs", sessions, "--format", "raw", "--session-id", "x", "-o", dir.resolve("b").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, mixed.code(), mixed.err());
        assertTrue(mixed.err().contains("give one kind of input"), mixed.err());

        CliRun window = CliRun.of("train", "pca", "--sessions", sessions, "--window", "20", "-o", dir.resolve("c").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, window.code(), window.err());
        assertTrue(window.err().contains("neither is given"), window.err());
    }
}
