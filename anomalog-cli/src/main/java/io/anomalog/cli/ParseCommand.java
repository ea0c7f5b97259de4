package io.anomalog.cli;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.MaskingRules;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateGrowth;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code anomalog parse}: splits headers, mines templates and writes loghub-compatible structured output. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Parses a log file into templates (log keys): <out>_structured.csv and <out>_templates.csv.")
final class ParseCommand implements Callable<Integer> {

    static final class FormatChoice {
        @Option(names = "--format", paramLabel = "NAME", description = "Log format: a loghub system (hdfs, bgl, ...), raw, filebeat or json.")
        String name;
        @Option(names = "--regex", paramLabel = "REGEX", description = "Custom format: Java regex with named groups, one named 'content'.")
        String regex;
        @Option(names = "--header", paramLabel = "SPEC", description = "Custom loghub-style format, e.g. '<Date> <Time> <Level> <Content>'.")
        String header;
        @Option(names = "--format-file", paramLabel = "FILE", description = "Format config file (format=, regex=, header= or json.message=).")
        Path file;
        @Option(names = "--json-field", paramLabel = "FIELD", description = "JSON lines with the message in FIELD.")
        String jsonField;

        LogFormat resolve() {
            if (name != null) {
                return LogFormats.byName(name);
            }
            if (regex != null) {
                return LogFormats.regex(regex);
            }
            if (header != null) {
                return LogFormats.header(header);
            }
            if (jsonField != null) {
                return LogFormats.json(jsonField);
            }
            return LogFormats.load(file);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    FormatChoice format;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Log file (.gz ok), or - for standard input.")
    String input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "PREFIX", description = "Output prefix: writes PREFIX_structured.csv and PREFIX_templates.csv.")
    Path out;

    @Option(names = "--templates", paramLabel = "STORE", description = "Template store: loaded when it exists, saved back at the end (keeps ids stable).")
    Path templates;

    @Option(names = "--output-format", defaultValue = "csv", paramLabel = "csv|jsonl", description = "csv (loghub) or jsonl (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--max-line-bytes", defaultValue = "1048576", paramLabel = "N", description = "Longer lines are cut and counted (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--depth", defaultValue = "4", description = "Drain tree depth (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--similarity", defaultValue = "0.5", description = "Drain similarity threshold (default: ${DEFAULT-VALUE}).")
    double similarity;

    @Option(names = "--mask", paramLabel = "REGEX", description = "Extra masking pattern, its matches become <*> (repeatable).")
    List<String> masks = new ArrayList<>();

    @Option(names = "--max-templates", defaultValue = "" + Drain.DEFAULT_MAX_TEMPLATES, paramLabel = "N", description = "Most templates kept; the least recently used is evicted beyond it, 0: no cap (default: ${DEFAULT-VALUE}).")
    int maxTemplates;

    @Override
    public Integer call() throws IOException {
        if (!outputFormat.equals("csv") && !outputFormat.equals("jsonl")) {
            throw new AnomalogException("--output-format must be csv or jsonl, not '" + outputFormat + "'");
        }
        LogFormat fmt = format.resolve();
        TemplateStore store = templates == null ? new TemplateStore() : TemplateStore.loadOrEmpty(templates);
        int before = store.nextId();
        MaskingRules.Builder mb = MaskingRules.builder();
        masks.forEach(mb::regex);
        Drain drain = Drain.builder().depth(depth).similarity(similarity).masking(mb.build()).maxTemplates(maxTemplates)
                .store(store).build();
        TemplateGrowth growth = new TemplateGrowth(store.nextId() - 1);
        LogReader.Builder rb = LogReader.builder().format(fmt).maxLineBytes(maxLineBytes);
        long total = -1;
        LogReader reader;
        if (input.equals("-")) {
            reader = rb.open(System.in, "-");
        } else {
            Path p = Path.of(input);
            reader = rb.open(p);
            total = p.toString().endsWith(".gz") ? -1 : Files.size(p);
        }
        Path structured = sibling(out, outputFormat.equals("csv") ? "_structured.csv" : "_structured.jsonl");
        Path deadFile = sibling(out, "_deadletter.jsonl");
        Progress progress = ProgressBar.forTerminal();
        progress.start("parse (bytes)", total);
        long start = System.nanoTime();
        long dead = 0;
        Writer deadWriter = null;
        List<String> fieldNames = fmt.fieldNames();
        try (reader; Writer w = writer(structured)) {
            if (outputFormat.equals("csv")) {
                List<String> head = new ArrayList<>();
                head.add("LineId");
                head.addAll(fieldNames);
                head.addAll(List.of("Content", "EventId", "EventTemplate", "ParameterList"));
                csvRow(w, head);
            }
            long lastBytes = 0;
            while (reader.hasNext()) {
                LogRecord r = reader.next();
                if (unusable(r.content())) {
                    if (deadWriter == null) {
                        deadWriter = writer(deadFile);
                    }
                    Json.MAPPER.writeValue(nonClosing(deadWriter), new DeadLetter(r.source(), r.lineNumber(),
                            "mostly binary or undecodable bytes", r.content()));
                    deadWriter.write('\n');
                    dead++;
                    continue;
                }
                ParsedEvent e = drain.add(r);
                growth.observe(e);
                if (outputFormat.equals("csv")) {
                    List<String> row = new ArrayList<>(fieldNames.size() + 5);
                    row.add(Long.toString(r.lineNumber()));
                    for (String f : fieldNames) {
                        String v = r.field(f);
                        row.add(v == null ? "" : v);
                    }
                    row.add(r.content());
                    row.add("E" + e.templateId());
                    row.add(e.template());
                    row.add(pythonList(e.parameters()));
                    csvRow(w, row);
                } else {
                    Map<String, Object> obj = new LinkedHashMap<>();
                    obj.put("lineId", r.lineNumber());
                    obj.put("source", r.source());
                    obj.put("offset", r.offset());
                    obj.put("host", r.host());
                    obj.put("timestamp", r.timestamp());
                    obj.put("fields", r.fields());
                    obj.put("content", r.content());
                    obj.put("headerMatched", r.headerMatched());
                    obj.put("truncated", r.truncated());
                    obj.put("eventId", e.templateId());
                    obj.put("template", e.template());
                    obj.put("parameters", e.parameters());
                    Json.MAPPER.writeValue(nonClosing(w), obj);
                    w.write('\n');
                }
                long bytes = reader.stats().bytes();
                if (bytes - lastBytes > (1 << 20)) {
                    progress.advance(bytes - lastBytes);
                    lastBytes = bytes;
                }
            }
            progress.advance(reader.stats().bytes() - lastBytes);
        } finally {
            if (deadWriter != null) {
                deadWriter.close();
            }
        }
        progress.finish();
        writeTemplates(drain, store, sibling(out, "_templates.csv"));
        if (templates != null) {
            store.save(templates);
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        LogReader.Stats s = reader.stats();
        System.err.printf("parsed %,d lines (%,d records) in %.1f s, %,.0f lines/s%n", s.lines(), s.records(), secs,
                s.lines() / secs);
        System.err.printf("templates: %,d new, %,d total, %,d evicted (cap %,d)%s%n", store.nextId() - before,
                store.size(), drain.evicted(), maxTemplates, templates == null ? "" : " (store " + templates + ")");
        growth.warning().ifPresent(w -> System.err.println("warning: " + w));
        System.err.printf("header mismatches: %,d (kept, content = whole line); truncated lines: %,d; "
                        + "lines with invalid bytes: %,d; empty lines skipped: %,d%n",
                s.headerMismatches(), s.truncatedLines(), s.linesWithInvalidBytes(), s.emptyLines());
        if (dead > 0) {
            System.err.printf("unusable lines: %,d written to %s%n", dead, deadFile);
        }
        System.err.printf("wrote %s and %s%n", structured, sibling(out, "_templates.csv"));
        return 0;
    }

    /** The parameter list as loghub's CSV files write it (a Python list of strings). */
    static String pythonList(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(values.get(i).replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return sb.append(']').toString();
    }

    /** A line that is mostly replacement or control characters carries no message worth a template. */
    static boolean unusable(String content) {
        if (content.isEmpty()) {
            return false;
        }
        int bad = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '\uFFFD' || (c < 0x20 && c != '\t')) {
                bad++;
            }
        }
        return bad * 2 > content.length();
    }

    /**
     * The final templates, then one row per id merged into another (its lines were written before the merge):
     * MergedInto names the id that stands for it now, so the structured output can be read with final ids.
     */
    private static void writeTemplates(Drain drain, TemplateStore store, Path file) throws IOException {
        try (Writer w = writer(file)) {
            csvRow(w, List.of("EventId", "EventTemplate", "Occurrences", "MergedInto"));
            for (TemplateStore.Entry e : store.entries()) {
                csvRow(w, List.of("E" + e.id(), e.text(), Long.toString(e.occurrences()), ""));
            }
            for (int from : new java.util.TreeSet<>(store.aliases().keySet())) {
                int to = store.resolve(from);
                var target = store.get(to);
                if (target.isPresent()) {
                    csvRow(w, List.of("E" + from, target.get().text(), "0", "E" + to));
                }
            }
        }
    }

    static Path sibling(Path prefix, String suffix) {
        Path name = prefix.getFileName();
        Path parent = prefix.toAbsolutePath().getParent();
        return parent.resolve(name + suffix);
    }

    private static Writer writer(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    private static Writer nonClosing(Writer w) {
        return new java.io.FilterWriter(w) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    static void csvRow(Writer w, List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            String v = values.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                w.write('"');
                w.write(v.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(v);
            }
        }
        w.write('\n');
    }
}
