package io.anomalog.core.template;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTextsTest {

    @Test
    void readsBundledLoghubTemplates() {
        Path repo = Path.of(System.getProperty("anomalog.repo", ".."));
        TemplateTexts t = TemplateTexts.read(repo.resolve("data/hdfs/HDFS_templates.csv"));
        assertEquals(30, t.size());
        assertEquals("<*>Verification succeeded for<*>", t.text(2));
        assertTrue(t.text(22).contains("allocateBlock"));
    }

    @Test
    void readsNumericIdsQuotesAndCommas(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "id,template\n0,capture valid <*>\n7,\"a, b \"\"c\"\"\"\n");
        TemplateTexts t = TemplateTexts.read(f);
        assertEquals("capture valid <*>", t.text(0));
        assertEquals("a, b \"c\"", t.text(7));
    }

    @Test
    void badIdIsAClearError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "id,template\nx1,foo\n");
        AnomalogException e = assertThrows(AnomalogException.class, () -> TemplateTexts.read(f));
        assertTrue(e.getMessage().contains("t.csv:2") && e.getMessage().contains("x1"), e.getMessage());
    }
}
