package io.anomalog.core.data;

import io.anomalog.core.io.Utf8Buffer;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StructuredRowsTest {

    /** The row as loghub's files spell it, built from Strings and encoded by the JDK's writer: the reference. */
    private static byte[] reference(ParsedEvent e, List<String> fieldNames) throws IOException {
        List<String> row = new ArrayList<>();
        row.add(Long.toString(e.record().lineNumber()));
        for (String f : fieldNames) {
            String v = e.record().field(f);
            row.add(v == null ? "" : v);
        }
        row.add(e.record().content());
        row.add("E" + e.templateId());
        row.add(e.template());
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < e.parameters().size(); i++) {
            list.append(i > 0 ? ", " : "").append('\'')
                    .append(e.parameters().get(i).replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        row.add(list.append(']').toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            for (int i = 0; i < row.size(); i++) {
                String v = row.get(i);
                w.write(i > 0 ? "," : "");
                boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r");
                w.write(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            w.write('\n');
        }
        return bytes.toByteArray();
    }

    private static byte[] written(ParsedEvent e, List<String> fieldNames) {
        Utf8Buffer out = new Utf8Buffer(4);
        StructuredRows.csvRow(e, fieldNames, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static String text(Random random) {
        String[] pieces = {"a", "Z", "7", " ", ",", "\"", "'", "\\", "\n", "\r", "\t", "\u00e9", "\u20ac", "\ud83d\ude00",
                "\ud800", "\udc00", "[", "]", "<*>"};
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)] : "word");
        }
        return sb.toString();
    }

    @Test
    void rowsAreTheBytesTheStringBuiltRowsEncodeToWhateverTheFieldsHold() throws IOException {
        Random random = new Random(17);
        var hdfs = LogFormats.byName("hdfs");
        for (int i = 0; i < 3000; i++) {
            String line = text(random) + " " + text(random) + " " + text(random) + " " + text(random) + " "
                    + text(random) + ": " + text(random);
            LogRecord r = hdfs.parse(line, "t", random.nextInt(1_000_000_000), 0);
            List<String> params = new ArrayList<>();
            for (int k = random.nextInt(4); k > 0; k--) {
                params.add(text(random));
            }
            ParsedEvent e = new ParsedEvent(r, random.nextInt(5000), text(random), params);
            assertArrayEquals(reference(e, hdfs.fieldNames()), written(e, hdfs.fieldNames()),
                    () -> "line " + line + ", parameters " + params);
        }
    }

    @Test
    void templatesSharedByManyRowsAreWrittenAsIfEachRowEncodedItsOwn() throws IOException {
        Random random = new Random(5);
        var hdfs = LogFormats.byName("hdfs");
        // few template objects, each met by many rows (as a template's lines share its text), some of them equal
        // texts in distinct objects, with quotes, commas, line breaks and non-ASCII; more than the table's slots
        String[] templates = new String[600];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = i % 7 == 0 && i > 0 ? new String(templates[i - 1]) : text(random) + "<*> " + text(random);
        }
        for (int i = 0; i < 20_000; i++) {
            String template = templates[random.nextInt(i < 10_000 ? 20 : templates.length)];
            LogRecord r = hdfs.parse("081109 203615 148 INFO dfs.DataNode: " + text(random), "t", i, 0);
            ParsedEvent e = new ParsedEvent(r, random.nextInt(50), template, List.of(text(random)));
            assertArrayEquals(reference(e, hdfs.fieldNames()), written(e, hdfs.fieldNames()),
                    () -> "template " + template);
        }
    }

    @Test
    void aParameterListIsAQuotedPythonListWhenItHasMoreThanOneValueOrAValueNeedsQuotes() {
        LogRecord r = LogRecord.ofContent("x");
        assertEquals("0,x,E3,t,[]\n", new String(written(new ParsedEvent(r, 3, "t", List.of()), List.of()),
                StandardCharsets.UTF_8));
        assertEquals("0,x,E3,t,['it\\'s']\n", new String(written(new ParsedEvent(r, 3, "t", List.of("it's")),
                List.of()), StandardCharsets.UTF_8));
        assertEquals("0,x,E3,t,\"['a', 'say \"\"hi\"\"']\"\n", new String(written(new ParsedEvent(r, 3, "t",
                List.of("a", "say \"hi\"")), List.of()), StandardCharsets.UTF_8));
    }

    @Test
    void textIsEncodedAsTheJdkEncodesItWithLoneSurrogatesAsQuestionMarks() {
        Random random = new Random(2);
        for (int i = 0; i < 2000; i++) {
            String s = text(random);
            Utf8Buffer out = new Utf8Buffer(1);
            out.text(s);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(out.array(), out.size()), s);
        }
    }

    @Test
    void aFieldWithoutFlaggedCharactersIsWrittenAsItsUtf8BytesShortOrLongAndNothingOtherwise() {
        Random random = new Random(9);
        Utf8Buffer.Flags flags = new Utf8Buffer.Flags(",\"\n\r");
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(5); k >= 0; k--) {
                sb.append(text(random));
            }
            String s = sb.toString();     // 0 to 100 or so characters: both sides of the short-string path
            Utf8Buffer out = new Utf8Buffer(1);
            out.ascii("x");
            boolean flagged = s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r");
            assertEquals(!flagged, out.unlessAny(s, flags), s);
            byte[] expected = ("x" + (flagged ? "" : s)).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, Arrays.copyOf(out.array(), out.size()), s);
        }
    }

    @Test
    void numbersAreWrittenInDecimal() {
        Utf8Buffer out = new Utf8Buffer(1);
        for (long v : new long[]{0, 7, 10, 99, 1234567890123L, -5, Long.MAX_VALUE, Long.MIN_VALUE}) {
            out.clear();
            out.number(v);
            assertEquals(Long.toString(v), new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
        }
    }
}
