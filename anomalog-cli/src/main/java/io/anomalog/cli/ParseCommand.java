package io.anomalog.cli;

import io.anomalog.core.ingest.DeadLetters;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.IngestStats;
import io.anomalog.core.ingest.LineProblem;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateGrowth;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    FormatOptions format;

    @Mixin
    MinerOptions miner;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Log file (.gz ok), or - for standard input.")
    String input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "PREFIX", description = "Output prefix: writes PREFIX_structured.csv and PREFIX_templates.csv.")
    Path out;

    @Option(names = "--templates", paramLabel = "STORE", description = "Template store: loaded when it exists, saved back at the end (keeps ids stable).")
    Path templates;

    @Option(names = "--output-format", defaultValue = "csv", paramLabel = "csv|jsonl", description = "csv (loghub) or jsonl (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Where unusable lines go, with their reason (default: PREFIX_deadletter.jsonl).")
    Path deadLetter;

    @Override
    public Integer call() throws IOException {
        if (!outputFormat.equals("csv") && !outputFormat.equals("jsonl")) {
            throw new AnomalogException("--output-format must be csv or jsonl, not '" + outputFormat + "'");
        }
        FormatSpec spec = format.spec(null);
        if (spec == null) {
            throw new AnomalogException("parse needs a log format: --format NAME (hdfs, bgl, raw, json, ...), --regex, "
                    + "--header, --format-file or --json-field");
        }
        LogFormat fmt = spec.resolve();
        TemplateStore store = templates == null ? new TemplateStore() : TemplateStore.loadOrEmpty(templates);
        int before = store.nextId();
        TemplateGrowth growth = new TemplateGrowth(store.nextId() - 1);
        // a store remembers the settings its templates were mined with; options given on top must agree
        MinerSettings settings = miner.settings(store.settings().isEmpty() ? MinerSettings.defaults()
                : MinerSettings.of(store.settings()));
        Path deadFile = deadLetter != null ? deadLetter : sibling(out, "_deadletter.jsonl");
        Path structured = sibling(out, outputFormat.equals("csv") ? "_structured.csv" : "_structured.jsonl");
        Progress progress = ProgressBar.forTerminal();
        long start = System.nanoTime();
        IngestPipeline pipeline;
        try (DeadLetters dead = DeadLetters.file(deadFile)) {
            pipeline = IngestPipeline.builder(fmt).maxLineBytes(format.maxLineBytes()).policy(format.policy())
                    .miner(settings).overrideSettings(miner.override)
                    .store(store, templates == null ? "(new)" : templates.toString()).deadLetters(dead).build();
            long total = -1;
            LogReader reader;
            if (input.equals("-")) {
                reader = pipeline.open(System.in, "-");
            } else {
                Path p = Path.of(input);
                reader = pipeline.open(p);
                total = p.toString().endsWith(".gz") ? -1 : Files.size(p);
            }
            progress.start("parse (bytes)", total);
            List<String> fieldNames = fmt.fieldNames();
            boolean csv = outputFormat.equals("csv");
            // the output replaces an earlier one only once the whole input was read
            AtomicFiles.replace(structured, os -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
                if (csv) {
                    List<String> head = new ArrayList<>();
                    head.add("LineId");
                    head.addAll(fieldNames);
                    head.addAll(List.of("Content", "EventId", "EventTemplate", "ParameterList"));
                    csvRow(w, head);
                }
                long[] lastBytes = {0};
                try {
                    pipeline.read(reader, e -> {
                        growth.observe(e);
                        try {
                            if (csv) {
                                writeCsv(w, e, fieldNames);
                            } else {
                                writeJson(w, e);
                            }
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                        long bytes = reader.stats().bytes();
                        if (bytes - lastBytes[0] > (1 << 20)) {
                            progress.advance(bytes - lastBytes[0]);
                            lastBytes[0] = bytes;
                        }
                    });
                } catch (java.io.UncheckedIOException ex) {
                    throw ex.getCause();
                }
                progress.advance(reader.stats().bytes() - lastBytes[0]);
                w.flush();
            });
        }
        progress.finish();
        writeTemplates(store, sibling(out, "_templates.csv"));
        if (templates != null) {
            store.save(templates);
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        IngestStats s = pipeline.stats();
        System.err.printf("parsed %,d lines (%,d events) in %.1f s, %,.0f lines/s%n", s.lines(), s.events(), secs,
                s.lines() / secs);
        System.err.printf("templates: %,d new, %,d total, %,d evicted (cap %,d)%s%n", store.nextId() - before,
                store.size(), pipeline.miner().evicted(), settings.maxTemplates(),
                templates == null ? "" : " (store " + templates + ")");
        growth.warning().ifPresent(w -> System.err.println("warning: " + w));
        System.err.printf("header mismatches: %,d (%s); truncated lines: %,d; lines with invalid bytes: %,d; "
                        + "empty lines skipped: %,d%n", s.count(LineProblem.NOT_IN_FORMAT),
                s.deadLettered(LineProblem.NOT_IN_FORMAT) > 0 ? "dead-lettered" : "kept, content = whole line",
                s.count(LineProblem.TRUNCATED), s.linesWithInvalidBytes(), s.emptyLines());
        if (s.deadLettered() > 0) {
            System.err.printf("unusable lines: %,d written with their reason to %s%n", s.deadLettered(), deadFile);
        }
        System.err.printf("wrote %s and %s%n", structured, sibling(out, "_templates.csv"));
        return 0;
    }

    private static void writeCsv(Writer w, ParsedEvent e, List<String> fieldNames) throws IOException {
        LogRecord r = e.record();
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
    }

    private static void writeJson(Writer w, ParsedEvent e) throws IOException {
        LogRecord r = e.record();
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("lineId", r.lineNumber());
        obj.put("source", r.source());
        obj.put("offset", r.offset());
        obj.put("host", r.host());
        obj.put("timestamp", r.timestamp());
        java.time.Instant t = r.time();
        obj.put("time", t == null ? null : t.toString());
        obj.put("level", r.level());
        obj.put("component", r.component());
        obj.put("fields", r.fields());
        obj.put("content", r.content());
        obj.put("headerMatched", r.headerMatched());
        obj.put("truncated", r.truncated());
        obj.put("eventId", e.templateId());
        obj.put("template", e.template());
        obj.put("parameters", e.parameters());
        w.write(Json.MAPPER.writeValueAsString(obj));
        w.write('\n');
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

    /**
     * The final templates, then one row per id merged into another (its lines were written before the merge):
     * MergedInto names the id that stands for it now, so the structured output can be read with final ids.
     */
    private static void writeTemplates(TemplateStore store, Path file) throws IOException {
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
