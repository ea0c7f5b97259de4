package io.anomalog.core.ingest;

import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.log.TimeReader;
import io.anomalog.core.session.Label;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.testing.Hostile;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input, systematically: random bytes, huge and empty lines, broken UTF-8, deep nesting and huge numbers
 * through the readers, formats, key files and the time readers. Whatever comes, nothing throws but a clear
 * {@link AnomalogException}, and every line is accounted for: an event, a dead letter, or a counted empty line.
 */
class HostileInputProperties {

    private static final List<LogFormat> FORMATS = List.of(LogFormats.raw(), LogFormats.byName("hdfs"),
            LogFormats.byName("bgl"), LogFormats.byName("linux"), LogFormats.json("message"), LogFormats.byName("filebeat"),
            LogFormats.regex("(?<timestamp>\\S+) (?<level>[A-Z]+) (?<content>.*)"));

    private final Hostile gen = Hostile.seeded();

    @Test
    void everyLineOfAnyBytesIsAnEventADeadLetterOrACountedEmptyLine() {
        for (int c = 0; c < 200; c++) {
            byte[] input = gen.bytes();
            LogFormat format = FORMATS.get(gen.between(0, FORMATS.size() - 1));
            DeadLetters.Collected dead = DeadLetters.collecting();
            IngestPipeline p = IngestPipeline.builder(format).maxLineBytes(512).deadLetters(dead).build();
            List<ParsedEvent> events = new ArrayList<>();
            LogReader reader = p.open(new ByteArrayInputStream(input), "-");
            try {
                p.read(reader, events::add);
            } catch (AnomalogException e) {
                assertTrue(e.getMessage().contains("looks like a binary file"), gen.replay(c) + ": " + e.getMessage());
                continue;
            }
            IngestStats s = p.stats();
            assertEquals(s.lines(), events.size() + dead.count() + s.emptyLines(), gen.replay(c) + " with "
                    + format.name());
            for (ParsedEvent e : events) {
                assertTrue(e.record().content().length() <= 512, gen.replay(c) + ": the line cap holds");
                e.record().time();     // reading the time of any line never throws
            }
        }
    }

    @Test
    void anyTextReadsAsATimeOrAsNothing() {
        TimeReader[] readers = {TimeReader.auto(), TimeReader.epoch(), TimeReader.iso(),
                TimeReader.pattern("yyMMdd HHmmss"), TimeReader.pattern("MMM d HH:mm:ss")};
        for (int c = 0; c < 2000; c++) {
            String t = gen.random().nextBoolean() ? gen.text(40)
                    : gen.oneOf(new String[]{"9".repeat(gen.between(1, 40)), "-1", "1e10", "081109 2036",
                    "Feb 30 10:00:00", "2024-13-01T00:00:00Z", "17/06/09 20:10:40"});
            gen.oneOf(readers).read(t);     // an instant or null; never an exception
        }
    }

    @Test
    void everyLineOfAKeyFileIsASequenceOrADeadLetter() throws Exception {
        String[] tokens = {"x", "2147483647", "99999999999999999999", "1e3", "", " ", "007", "-0", "-3", "5", "22",
                "1073741823", "1073741824"};
        for (int c = 0; c < 300; c++) {
            List<String> lines = new ArrayList<>();
            int n = gen.between(0, 15);
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                if (gen.random().nextInt(3) == 0) {
                    sb.append(gen.text(6).replace(",", "").replace("\n", "").replace("\r", "")).append(',');
                }
                int keys = gen.between(0, 8);
                for (int k = 0; k < keys; k++) {
                    sb.append(k > 0 ? " " : "").append(gen.random().nextBoolean() ? gen.oneOf(tokens)
                            : String.valueOf(gen.random().nextLong()));
                }
                lines.add(sb.toString());
            }
            String text = String.join("\n", lines);
            KeySequenceReader.Result r = KeySequenceReader.read(new BufferedReader(new StringReader(text)), "f",
                    Label.NORMAL);
            long physical = text.isEmpty() ? 0 : new BufferedReader(new StringReader(text)).lines().count();
            assertEquals(physical, r.sequences().size() + r.rejected().size(), gen.replay(c));
            r.sequences().forEach(s -> {
                assertTrue(s.length() > 0, "no empty sequence");
                for (int k : s.keys()) {
                    assertTrue(k >= 0 && k <= KeySequenceReader.MAX_KEY, "key " + k);
                }
            });
        }
    }

    @Test
    void aRecordOfAnyTextFromAnyFormatHasContentAndAnUnmatchedOneKeepsTheWholeLine() {
        for (int c = 0; c < 1000; c++) {
            String line = gen.text(400);
            LogFormat format = FORMATS.get(gen.between(0, FORMATS.size() - 1));
            LogRecord r = format.parse(line, "s", 1, 0);
            assertTrue(r.content() != null, gen.replay(c));
            if (!r.headerMatched()) {
                assertEquals(line.strip(), r.content(), gen.replay(c) + " with " + format.name());
            }
        }
    }
}
