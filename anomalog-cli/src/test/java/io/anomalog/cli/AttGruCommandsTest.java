package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code anomalog train attgru --labelled ... --templates ...}, then detect with explanations. */
class AttGruCommandsTest {

    @Test
    void trainDetectWithTemplates(@TempDir Path dir) throws Exception {
        Path labelled = dir.resolve("train.csv");
        StringBuilder csv = new StringBuilder("Sequence,label\n");
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            boolean anomalous = i % 2 == 0;
            StringBuilder keys = new StringBuilder("5 5 22 11 9");
            int planted = r.nextInt(8);
            for (int t = 0; t < 8; t++) {
                // E7, writeBlock received exception, at a random place in anomalous sessions
                keys.append(' ').append(anomalous && t == planted ? 7 : List.of(11, 9, 26, 23, 21).get(r.nextInt(5)));
            }
            csv.append(keys).append(',').append(anomalous ? 1 : 0).append('\n');
        }
        Files.writeString(labelled, csv);
        Path templates = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/hdfs/HDFS_templates.csv");
        Path model = dir.resolve("model");
        int rc = AnomalogCli.execute("train", "attgru", "--labelled", labelled.toString(), "--templates",
                templates.toString(), "-p", "hidden=8", "-p", "dense=8", "-p", "epochs=15", "-p", "lr=0.01",
                "-o", model.toString());
        assertEquals(0, rc);
        assertTrue(Files.isRegularFile(model.resolve("manifest.json")));
        assertTrue(Files.readString(model.resolve("manifest.json")).contains("\"resolvedVectors\" : \"word2vec\""));

        Path abnormal = dir.resolve("abnormal");
        Files.writeString(abnormal, "5 5 22 11 9 26 26 23 7 21 21\n");
        Path out = dir.resolve("verdicts.jsonl");
        rc = AnomalogCli.execute("detect", "-m", model.toString(), "--sessions", abnormal.toString(), "--all",
                "-o", out.toString());
        assertEquals(0, rc);
        String json = Files.readString(out);
        assertTrue(json.contains("\"weights\""), json);
        assertTrue(json.contains("writeBlock<*>received exception"), json);
        assertTrue(json.contains("\"anomalous\":true") || json.contains("\"anomalous\" : true"), json);

        // a misspelt parameter is an error naming it
        rc = AnomalogCli.execute("train", "attgru", "--labelled", labelled.toString(), "-p", "hiden=8",
                "-o", dir.resolve("m2").toString());
        assertEquals(AnomalogCli.EXIT_USAGE, rc);
    }
}
