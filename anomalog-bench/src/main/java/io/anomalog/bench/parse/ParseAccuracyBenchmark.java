package io.anomalog.bench.parse;

import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.MaskingRules;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parser accuracy on the loghub 2k samples in memory: every system present under {@code DIR/loghub_2k} (original
 * ground truth) and {@code DIR/loghub_2k_corrected} (corrected ground truth) is parsed with one set of Drain
 * settings and the system's header format, optionally with the system's masking patterns from the logparser
 * benchmark settings added (tuned per system: reported beside the defaults, labelled), then scored with
 * {@link GroupingMetrics}. What a user gets from {@code anomalog parse} is measured through the command itself
 * ({@link CommandOutput}); this class serves the per-system-mask and plain-Drain comparisons.
 */
public final class ParseAccuracyBenchmark {

    /** Masking patterns per system, as in the logparser benchmark settings (Drain). */
    static final Map<String, List<String>> BENCHMARK_MASKING = new LinkedHashMap<>();

    static {
        BENCHMARK_MASKING.put("HDFS", List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"));
        BENCHMARK_MASKING.put("Hadoop", List.of("(\\d+\\.){3}\\d+"));
        BENCHMARK_MASKING.put("Spark", List.of("(\\d+\\.){3}\\d+", "\\b[KGTM]?B\\b", "([\\w-]+\\.){2,}[\\w-]+"));
        BENCHMARK_MASKING.put("Zookeeper", List.of("(/|)(\\d+\\.){3}\\d+(:\\d+)?"));
        BENCHMARK_MASKING.put("BGL", List.of("core\\.\\d+"));
        BENCHMARK_MASKING.put("HPC", List.of("=\\d+"));
        BENCHMARK_MASKING.put("Thunderbird", List.of("(\\d+\\.){3}\\d+"));
        BENCHMARK_MASKING.put("Windows", List.of("0x.*?\\s"));
        BENCHMARK_MASKING.put("Linux", List.of("(\\d+\\.){3}\\d+", "\\d{2}:\\d{2}:\\d{2}"));
        BENCHMARK_MASKING.put("Android", List.of("(/[\\w-]+)+", "([\\w-]+\\.){2,}[\\w-]+",
                "\\b(\\-?\\+?\\d+)\\b|\\b0[Xx][a-fA-F\\d]+\\b|\\b[a-fA-F\\d]{4,}\\b"));
        BENCHMARK_MASKING.put("HealthApp", List.of());
        BENCHMARK_MASKING.put("Apache", List.of("(\\d+\\.){3}\\d+"));
        BENCHMARK_MASKING.put("Proxifier", List.of("<\\d+\\ssec", "([\\w-]+\\.)+[\\w-]+(:\\d+)?", "\\d{2}:\\d{2}(:\\d{2})*",
                "[KGTM]B"));
        BENCHMARK_MASKING.put("OpenSSH", List.of("(\\d+\\.){3}\\d+", "([\\w-]+\\.){2,}[\\w-]+"));
        BENCHMARK_MASKING.put("OpenStack", List.of("((\\d+\\.){3}\\d+,?)+", "/.+?\\s", "\\d+"));
        BENCHMARK_MASKING.put("Mac", List.of("([\\w-]+\\.){2,}[\\w-]+"));
    }

    /** One ground-truth variant: its folder and the file name suffix of its structured CSV. */
    public enum Truth {
        ORIGINAL("loghub_2k", "_2k.log_structured.csv"),
        CORRECTED("loghub_2k_corrected", "_2k.log_structured_corrected.csv");

        final String folder;
        final String suffix;

        Truth(String folder, String suffix) {
            this.folder = folder;
            this.suffix = suffix;
        }

        public String folder() {
            return folder;
        }
    }

    /** Result for one system and ground truth. */
    public record Result(String system, Truth truth, GroupingMetrics metrics, int headerMismatches) {
    }

    private final Path data;
    private final boolean benchmarkMasking;
    private final Supplier<Drain.Builder> settings;
    private final boolean plain;

    /**
     * @param data             the datasets folder
     * @param benchmarkMasking add each system's logparser-benchmark masking patterns to the defaults
     */
    public ParseAccuracyBenchmark(Path data, boolean benchmarkMasking) {
        this(data, benchmarkMasking, Drain::builder);
    }

    public ParseAccuracyBenchmark(Path data, boolean benchmarkMasking, Supplier<Drain.Builder> settings) {
        this.data = data;
        this.benchmarkMasking = benchmarkMasking;
        this.settings = settings;
        this.plain = false;
    }

    private ParseAccuracyBenchmark(Path data, Supplier<Drain.Builder> settings, boolean plain) {
        this.data = data;
        this.benchmarkMasking = true;
        this.settings = settings;
        this.plain = plain;
    }

    /**
     * The published algorithm as a baseline: no default masking (only the benchmark's per-system patterns), no
     * word guard, no sibling rule; depth 4, similarity 0.5 for every system.
     */
    public static ParseAccuracyBenchmark plainDrain(Path data) {
        return new ParseAccuracyBenchmark(data, () -> Drain.builder().keepWords(false).variableSiblings(0), true);
    }

    /** Systems with a preset whose files exist for this ground truth. */
    public List<String> systems(Truth truth) {
        List<String> out = new ArrayList<>();
        for (String s : LogFormats.systems()) {
            if (Files.isRegularFile(logFile(truth, s)) && Files.isRegularFile(truthFile(truth, s))) {
                out.add(s);
            }
        }
        return out;
    }

    /** The raw log of a system (both ground truths use the same one). */
    public Path logFile(Truth truth, String system) {
        // the corrected set reuses the original raw logs (identical once CR is stripped)
        Path own = data.resolve(truth.folder).resolve(system).resolve(system + "_2k.log");
        return Files.isRegularFile(own) ? own : data.resolve("loghub_2k").resolve(system).resolve(system + "_2k.log");
    }

    /** The ground-truth structured CSV of a system. */
    public Path truthFile(Truth truth, String system) {
        return data.resolve(truth.folder).resolve(system).resolve(system + truth.suffix);
    }

    /** Runs every present system for both ground truths. */
    public List<Result> run(Progress progress) {
        List<Result> results = new ArrayList<>();
        for (Truth truth : Truth.values()) {
            for (String system : systems(truth)) {
                progress.status(truth.folder + " " + system);
                results.add(run(system, truth));
                progress.advance(1);
            }
        }
        return results;
    }

    /** The masking used for one system. */
    public MaskingRules masking(String system) {
        MaskingRules.Builder b = plain ? MaskingRules.builder().clearTokenRules().digitTokens(false).keyValue(false)
                : MaskingRules.builder();
        if (benchmarkMasking) {
            BENCHMARK_MASKING.getOrDefault(system, List.of()).forEach(b::regex);
        }
        return b.build();
    }

    public Result run(String system, Truth truth) {
        Result r = score(system, logFile(truth, system), truthFile(truth, system));
        return new Result(system, truth, r.metrics(), r.headerMismatches());
    }

    /** Parses one log and scores it against a loghub structured CSV (LineId, Content, EventId, EventTemplate). */
    public Result score(String system, Path log, Path truthCsv) {
        List<TruthLine> truth = TruthLine.read(truthCsv);
        Drain drain = settings.get().masking(masking(system)).build();
        Map<Long, ParsedEvent> events = new HashMap<>();
        int mismatches;
        try (LogReader reader = LogReader.builder().format(LogFormats.byName(system)).skipEmpty(false)
                .open(log)) {
            while (reader.hasNext()) {
                LogRecord rec = reader.next();
                events.put(rec.lineNumber(), drain.add(rec));
            }
            mismatches = (int) reader.stats().headerMismatches();
        }
        List<GroupingMetrics.Prediction> predicted = new ArrayList<>(truth.size());
        for (TruthLine t : truth) {
            ParsedEvent e = events.get(t.lineId());
            if (e == null) {
                predicted.add(null);
                continue;
            }
            int id = drain.resolve(e.templateId());
            // the final template of the line's group, as the reference benchmark reports it
            predicted.add(new GroupingMetrics.Prediction(Integer.toString(id), drain.template(id).orElse(e.template()),
                    e.parameters()));
        }
        return new Result(system, null, GroupingMetrics.compute(truth, predicted), mismatches);
    }
}
