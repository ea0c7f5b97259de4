package io.anomalog.cli;

import io.anomalog.core.data.StructuredRows;
import io.anomalog.core.ingest.DeadLetters;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.IngestStats;
import io.anomalog.core.ingest.LineProblem;
import io.anomalog.core.ingest.ParallelReader;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.TextFiles;
import io.anomalog.core.io.Utf8Buffer;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that parse (default: all processors); the output is the same for any number.")
    Integer threads;

    @Option(names = "--direct-output", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write the structured output past the page cache where the file system allows it, which "
                    + "saves the kernel's copying on large outputs (default: on); --no-direct-output on a slow disk, "
                    + "where a write into the cache returns sooner.")
    boolean directOutput;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Where unusable lines go, with their reason (default: PREFIX_deadletter.jsonl).")
    Path deadLetter;

    /** Input bytes per batch of lines a worker parses: thousands of lines, so handing over costs little. */
    private static final int BATCH_BYTES = 1 << 17;

    @Override
    public Integer call() throws IOException {
        if (!outputFormat.equals("csv") && !outputFormat.equals("jsonl")) {
            throw new AnomalogException("--output-format must be csv or jsonl, not '" + outputFormat + "'");
        }
        if (threads != null && threads < 1) {
            throw new AnomalogException("--threads must be at least 1, got " + threads);
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
            InputStream in;
            String source;
            if (input.equals("-")) {
                in = System.in;
                source = "-";
            } else {
                Path p = Path.of(input);
                in = TextFiles.open(p);
                source = p.toString();
                total = p.toString().endsWith(".gz") ? -1 : Files.size(p);
            }
            progress.start("parse (bytes)", total);
            List<String> fieldNames = fmt.fieldNames();
            ParallelReader.Encoder encoder = outputFormat.equals("csv")
                    ? (e, buf) -> StructuredRows.csvRow(e, fieldNames, buf) : StructuredRows::jsonLine;
            // the output replaces an earlier one only once the whole input was read
            AtomicFiles.replaceLarge(structured, directOutput, os -> {
                if (outputFormat.equals("csv")) {
                    Utf8Buffer head = new Utf8Buffer(256);
                    StructuredRows.csvRow(StructuredRows.csvColumns(fieldNames), head);
                    head.writeTo(os);
                }
                int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
                if (workers > 1) {
                    ParallelReader.of(pipeline, workers, BATCH_BYTES, encoder).read(in, source,
                            new ParallelReader.Output() {
                                long shown;

                                @Override
                                public void event(ParsedEvent e) {
                                    growth.observe(e);
                                }

                                @Override
                                public void write(byte[] bytes, int offset, int length) throws IOException {
                                    os.write(bytes, offset, length);
                                }

                                @Override
                                public void progress(long bytesRead) {
                                    progress.advance(bytesRead - shown);
                                    shown = bytesRead;
                                }
                            });
                } else {
                    readOnOneThread(pipeline, pipeline.open(in, source), encoder, growth, progress, os);
                }
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

    /** The reference path: one thread reads, parses and writes, line after line. */
    private static void readOnOneThread(IngestPipeline pipeline, LogReader reader, ParallelReader.Encoder encoder,
                                        TemplateGrowth growth, Progress progress, OutputStream os) throws IOException {
        Utf8Buffer buf = new Utf8Buffer(1 << 17);
        long[] shown = {0};
        try {
            pipeline.read(reader, e -> {
                growth.observe(e);
                encoder.encode(e, buf);
                try {
                    if (buf.size() >= 1 << 16) {
                        buf.writeTo(os);
                        buf.clear();
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                long bytes = reader.stats().bytes();
                if (bytes - shown[0] > (1 << 20)) {
                    progress.advance(bytes - shown[0]);
                    shown[0] = bytes;
                }
            });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        buf.writeTo(os);
        progress.advance(reader.stats().bytes() - shown[0]);
    }

    /**
     * The final templates, then one row per id merged into another (its lines were written before the merge):
     * MergedInto names the id that stands for it now, so the structured output can be read with final ids.
     */
    private static void writeTemplates(TemplateStore store, Path file) throws IOException {
        Utf8Buffer buf = new Utf8Buffer(1 << 16);
        StructuredRows.csvRow(List.of("EventId", "EventTemplate", "Occurrences", "MergedInto"), buf);
        for (TemplateStore.Entry e : store.entries()) {
            StructuredRows.csvRow(List.of("E" + e.id(), e.text(), Long.toString(e.occurrences()), ""), buf);
        }
        for (int from : new java.util.TreeSet<>(store.aliases().keySet())) {
            int to = store.resolve(from);
            var target = store.get(to);
            if (target.isPresent()) {
                StructuredRows.csvRow(List.of("E" + from, target.get().text(), "0", "E" + to), buf);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            buf.writeTo(out);
        }
    }

    static Path sibling(Path prefix, String suffix) {
        Path name = prefix.getFileName();
        Path parent = prefix.toAbsolutePath().getParent();
        return parent.resolve(name + suffix);
    }
}
