package io.anomalog.core.data;

import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StructuredCsvTest {

    @Test
    void readsRowsWithQuotedFieldsAndKeepsBadRows() throws Exception {
        String csv = """
                LineId,Date,Time,Level,Content,EventId,EventTemplate
                1,081109,203615,INFO,"PacketResponder 1 for block blk_38 terminating",E10,PacketResponder <*> for block <*> terminating
                2,081109,203807,INFO,"say ""hi"", then go",E3,"say <*>, then go"
                3,081109,203808,INFO,short row
                4,081109,203809,INFO,x,Ebad,x
                """;
        StructuredCsv.Result r = StructuredCsv.read(new BufferedReader(new StringReader(csv)), "t.csv");
        assertEquals(2, r.events().size());
        ParsedEvent first = r.events().get(0);
        assertEquals(10, first.templateId());
        assertEquals("PacketResponder <*> for block <*> terminating", first.template());
        assertEquals("081109 203615", first.record().timestamp());
        assertEquals("INFO", first.record().field("Level"));
        assertEquals(1, first.record().lineNumber());
        assertEquals("say \"hi\", then go", r.events().get(1).record().content());
        assertEquals("say <*>, then go", r.events().get(1).template());
        assertEquals(2, r.rejected().size());
        assertEquals(4, r.rejected().get(0).lineNumber());
    }

    @Test
    void refusesAFileWithoutTheColumns() {
        assertThrows(AnomalogException.class, () -> StructuredCsv.read(
                new BufferedReader(new StringReader("a,b\n1,2\n")), "x.csv"));
        assertThrows(AnomalogException.class, () -> StructuredCsv.read(
                new BufferedReader(new StringReader("")), "empty.csv"));
    }

    @Test
    void readsTheLoghubHdfsSample() {
        Path f = Path.of(System.getProperty("anomalog.data", "../shared/datasets"),
                "loghub_2k/HDFS/HDFS_2k.log_structured.csv");
        assumeTrue(Files.exists(f), "public datasets not available");
        StructuredCsv.Result r = StructuredCsv.read(f);
        assertEquals(2000, r.events().size());
        assertEquals(List.of(), r.rejected());
    }

    @Test
    void templateListsInThreeLayouts() {
        assertEquals(Map.of(1, "Adding <*>", 5, "Receiving, block <*>"), TemplateTextReader.parse(
                List.of("EventId,EventTemplate", "E1,Adding <*>", "E5,\"Receiving, block <*>\""), "a"));
        assertEquals(Map.of(0, "capture <*>", 3, "minus <*>"), TemplateTextReader.parse(
                List.of("id,template", "0,capture <*>", "3,minus <*>"), "b"));
        assertEquals(Map.of(1, "first <*>", 2, "second"), TemplateTextReader.parse(
                List.of("first <*>", "second"), "c"));
        assertThrows(AnomalogException.class, () -> TemplateTextReader.parse(
                List.of("EventId,EventTemplate", "Ex,bad"), "d"));
    }
}
