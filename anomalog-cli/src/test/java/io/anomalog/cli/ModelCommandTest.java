package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch update and the model versions from the command line: a DeepLog model learns that sessions holding a
 * template that came with an upgrade are normal, and its versions are listed, rolled back and activated.
 */
class ModelCommandTest {

    /** Normal training sessions with a new key (an upgrade's template) after their third event. */
    private static List<String> upgraded(List<String> sessions) {
        List<String> out = new ArrayList<>();
        for (String s : sessions) {
            List<String> keys = new ArrayList<>(List.of(s.trim().split("\\s+")));
            keys.add(Math.min(3, keys.size()), "99");
            out.add(String.join(" ", keys));
        }
        return out;
    }

    private static long flagged(Path model, Path sessions, Path dir, String name) throws Exception {
        Path out = dir.resolve(name + ".jsonl");
        CliRun r = CliRun.of("detect", "-m", model.toString(), "--sessions", sessions.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).count();
    }

    @Test
    void anUpdateWritesVersionTwoThatPassesTheMarkedPatternAndVersionsCanBeRolledBackAndActivated(@TempDir Path dir)
            throws Exception {
        List<String> train = Files.readAllLines(DeepLogCommandsTest.HDFS.resolve("hdfs_train")).subList(0, 600);
        Path trainFile = dir.resolve("train");
        Files.write(trainFile, train);
        Path model = dir.resolve("model");
        CliRun t = CliRun.of(DeepLogCommandsTest.concat(new String[]{"train", "deeplog", "--sessions",
                trainFile.toString(), "-o", model.toString()}, DeepLogCommandsTest.TINY));
        assertEquals(0, t.code(), t.err());

        Path marked = dir.resolve("marked");
        Files.write(marked, upgraded(train.subList(0, 4)));
        Path unmarked = dir.resolve("unmarked");
        Files.write(unmarked, upgraded(train.subList(10, 14)));
        assertEquals(4, flagged(model, unmarked, dir, "before"), "key 99 is new to v1");

        CliRun u = CliRun.of("train", "deeplog", "--update", model.toString(), "--normal", marked.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.err().contains("v2 from v1: learned 4 false positive(s)"), u.err());
        assertEquals(0, flagged(model, marked, dir, "marked"), "the marked sessions are normal to v2");
        assertTrue(flagged(model, unmarked, dir, "after") < 4, "sessions like them are normal too");

        CliRun again = CliRun.of("train", "deeplog", "--update", model.toString(), "--normal", marked.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("nothing to learn"), again.err());

        CliRun list = CliRun.of("model", "list", "-m", model.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("*") && l.contains("v2") && l.contains("v1")),
                list.out());

        assertEquals(0, CliRun.of("model", "rollback", "-m", model.toString()).code());
        assertEquals(4, flagged(model, unmarked, dir, "rolled-back"), "v1 is active again");
        CliRun activate = CliRun.of("model", "activate", "v2", "-m", model.toString());
        assertEquals(0, activate.code(), activate.err());
        assertEquals(0, flagged(model, marked, dir, "activated"));

        CliRun unknown = CliRun.of("model", "activate", "v9", "-m", model.toString());
        assertEquals(AnomalogCli.EXIT_USAGE, unknown.code());
        assertTrue(unknown.err().contains("v9"), unknown.err());

        CliRun overwrite = CliRun.of(DeepLogCommandsTest.concat(new String[]{"train", "deeplog", "--sessions",
                trainFile.toString(), "-o", model.toString()}, DeepLogCommandsTest.TINY));
        assertEquals(AnomalogCli.EXIT_USAGE, overwrite.code());
        assertTrue(overwrite.err().contains("--update"), overwrite.err());

        CliRun wrongMethod = CliRun.of("train", "pca", "--update", model.toString(), "--normal", marked.toString());
        assertEquals(AnomalogCli.EXIT_USAGE, wrongMethod.code());
        assertTrue(wrongMethod.err().contains("is a deeplog model"), wrongMethod.err());
    }
}
