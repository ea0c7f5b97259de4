package io.anomalog.core.ingest;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one path from a log line to a parsed event, shared by {@code parse}, {@code train}, {@code detect},
 * {@code evaluate}, the stream and the demo (as Drain3's {@code TemplateMiner} owns masking, mining and
 * persistence for every caller):
 * <pre>
 *   format  ->  bad-line policy  ->  masking + template miner  ->  log key  ->  ParsedEvent
 * </pre>
 * The format splits the line into a {@link LogRecord} (time, host, level, component, typed fields, content);
 * the {@link BadLinePolicy} keeps, counts or dead-letters lines with a {@link LineProblem}; the miner, built from
 * {@link MinerSettings} over a {@link TemplateStore}, gives the template; the key is the template id, except in
 * {@link MinerSettings.Mode#DETECT detection}, where a template the store did not have when the pipeline was built
 * gets a key derived from its text ({@link LiveTemplateKeys}), the same on every stream instance and in batch.
 *
 * <pre>{@code
 * IngestPipeline p = IngestPipeline.builder(LogFormats.byName("hdfs")).store(store).build();
 * List<ParsedEvent> events = p.readAll(List.of(path));
 * }</pre>
 *
 * Thread-safe: the stream calls it from several threads (Drain takes a lock only to learn).
 */
public final class IngestPipeline {

    private final LogFormat format;
    private final int maxLineBytes;
    private final MinerSettings settings;
    private final MinerSettings.Mode mode;
    private final TemplateStore store;
    private final Drain miner;
    private final BadLinePolicy policy;
    private final DeadLetters deadLetters;
    private final IngestStats stats = new IngestStats();
    private final LiveTemplateKeys liveKeys;
    private final int templatesAtStart;

    private IngestPipeline(Builder b) {
        this.format = Objects.requireNonNull(b.format, "format");
        this.maxLineBytes = b.maxLineBytes;
        this.settings = b.settings;
        this.mode = b.mode;
        this.store = b.store != null ? b.store : new TemplateStore();
        this.policy = b.policy;
        this.deadLetters = b.deadLetters;
        this.templatesAtStart = store.size();
        settings.requireCompatible(store.settings(), b.storeName, b.overrideSettings);
        if (mode == MinerSettings.Mode.LEARN) {
            // the store records the settings its templates are mined with from now on
            store.settings(settings.describe());
        }
        this.miner = settings.miner(store, mode);
        this.liveKeys = mode == MinerSettings.Mode.DETECT ? new LiveTemplateKeys(store.nextId())
                : LiveTemplateKeys.none();
    }

    public static Builder builder(LogFormat format) {
        return new Builder(format);
    }

    public LogFormat format() {
        return format;
    }

    public MinerSettings settings() {
        return settings;
    }

    public MinerSettings.Mode mode() {
        return mode;
    }

    public TemplateStore store() {
        return store;
    }

    public Drain miner() {
        return miner;
    }

    public IngestStats stats() {
        return stats;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Templates created since the pipeline was built. */
    public int newTemplates() {
        return store.size() - templatesAtStart;
    }

    /** A reader of a file ({@code .gz} decompressed) with this pipeline's format and line cap. */
    public LogReader open(Path file) {
        return LogReader.builder().format(format).maxLineBytes(maxLineBytes).open(file);
    }

    /** The line cap in bytes. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** A reader of a stream ("-" names standard input) with this pipeline's format and line cap. */
    public LogReader open(InputStream in, String source) {
        return LogReader.builder().format(format).maxLineBytes(maxLineBytes).open(in, source);
    }

    /**
     * A line's text through the format and the bad-line policy (the stream's path: the shipper split the lines).
     *
     * @return the record, or null when the line went to the dead letters
     */
    public LogRecord record(String line, String source, long lineNumber, long offset) {
        return admit(format.parse(line, source, lineNumber, offset), deadLetters);
    }

    /**
     * A record through the bad-line policy: counts its problems, and returns null after dead-lettering it when
     * it cannot be used.
     */
    public LogRecord admit(LogRecord r) {
        return admit(r, deadLetters);
    }

    /** Like {@link #admit(LogRecord)}, dead-lettering into {@code sink} (the stream passes its topic's). */
    public LogRecord admit(LogRecord r, DeadLetters sink) {
        return admit(r, rejection(r), sink);
    }

    /**
     * Why the bad-line policy sends a record to the dead letters, or null when it is kept: found without counting
     * anything, so worker threads can look while {@link #admit(LogRecord, LineProblem, DeadLetters)} counts in
     * input order.
     */
    LineProblem rejection(LogRecord r) {
        if (BadLinePolicy.unusable(r.content())) {
            return LineProblem.UNUSABLE;
        }
        if (!r.headerMatched() && policy.deadLetterMismatches()) {
            return LineProblem.NOT_IN_FORMAT;
        }
        return null;
    }

    /** Counts a record's problems and dead-letters it when {@code rejection} is not null. */
    LogRecord admit(LogRecord r, LineProblem rejection, DeadLetters sink) {
        stats.line();
        if (r.truncated()) {
            stats.problem(LineProblem.TRUNCATED, false);
        }
        if (rejection != null) {
            reject(r, rejection, rejection == LineProblem.UNUSABLE ? "" : " " + format.name(), sink);
            return null;
        }
        if (!r.headerMatched()) {
            stats.problem(LineProblem.NOT_IN_FORMAT, false);
        }
        return r;
    }

    /**
     * Mines a record's template and gives it its log key.
     *
     * @return the event, or null when mining failed (the line is then dead-lettered)
     */
    public ParsedEvent parse(LogRecord r) {
        return parse(r, deadLetters);
    }

    /** Like {@link #parse(LogRecord)}, dead-lettering into {@code sink}. */
    public ParsedEvent parse(LogRecord r, DeadLetters sink) {
        ParsedEvent e;
        try {
            e = miner.add(r);
        } catch (RuntimeException ex) {
            reject(r, LineProblem.NOT_PARSED, ": " + ex, sink);
            return null;
        }
        return keyed(e);
    }

    /** Like {@link #parse(LogRecord, DeadLetters)} for a line a worker looked up ({@link Drain#settle}). */
    ParsedEvent parse(Drain.Guess g, DeadLetters sink) {
        ParsedEvent e;
        try {
            e = miner.settle(g);
        } catch (RuntimeException ex) {
            reject(g.record(), LineProblem.NOT_PARSED, ": " + ex, sink);
            return null;
        }
        return keyed(e);
    }

    private ParsedEvent keyed(ParsedEvent e) {
        stats.event();
        if (mode == MinerSettings.Mode.DETECT) {
            int key = liveKeys.keyOf(e.templateId(), e.template());
            if (key != e.templateId()) {
                e = new ParsedEvent(e.record(), key, e.template(), e.parameters());
            }
        }
        return e;
    }

    /** Whether a log key belongs to a template this pipeline met first, in detection (not in the model's store). */
    public boolean isNewKey(int key) {
        return LiveTemplateKeys.isLive(key);
    }

    /** A line's text all the way to its event, or null when it went to the dead letters. */
    public ParsedEvent line(String line, String source, long lineNumber, long offset) {
        LogRecord r = record(line, source, lineNumber, offset);
        return r == null ? null : parse(r);
    }

    /** Counts a line problem found outside the pipeline (by the stream's decoder), with the same counters. */
    public void count(LineProblem problem, boolean deadLettered) {
        stats.problem(problem, deadLettered);
    }

    /**
     * Reads a whole input through the pipeline, handing each event on as it is parsed.
     *
     * @throws AnomalogException when the input looks like a binary file rather than a log (checked on its first
     *                           lines and at its end)
     */
    public void read(LogReader reader, Consumer<ParsedEvent> out) {
        long unusableBefore = stats.count(LineProblem.UNUSABLE);
        try (reader) {
            long n = 0;
            while (reader.hasNext()) {
                LogRecord r = admit(reader.next());
                if (r != null) {
                    ParsedEvent e = parse(r);
                    if (e != null) {
                        out.accept(e);
                    }
                }
                if (++n == BINARY_CHECK_LINES) {
                    requireText(reader, stats.count(LineProblem.UNUSABLE) - unusableBefore);
                }
            }
            requireText(reader, stats.count(LineProblem.UNUSABLE) - unusableBefore);
        } finally {
            stats.addReader(reader.stats());
        }
    }

    /** Lines after which an input is checked for being binary; again at its end. */
    static final long BINARY_CHECK_LINES = 1_000;

    /**
     * Refuses an input most of whose lines are undecodable: an executable or an archive given by mistake would
     * otherwise go through as a few templates of garbage and many dead letters.
     */
    private static void requireText(LogReader reader, long unusable) {
        LogReader.Stats s = reader.stats();
        requireText(reader.source(), s.lines() - s.emptyLines(), s.linesWithInvalidBytes(), unusable);
    }

    /**
     * The rule itself, on counts: {@code lines} non-empty lines read so far, of which {@code invalid} held invalid
     * bytes and {@code unusable} were dead-lettered as unusable.
     */
    static void requireText(String source, long lines, long invalid, long unusable) {
        long bad = Math.max(unusable, invalid);
        if (lines >= 20 && bad * 10 > lines * 3) {
            throw new AnomalogException(source + " looks like a binary file, not a log: " + bad + " of its first "
                    + lines + " lines hold undecodable bytes; give a text log (.gz files are decompressed)");
        }
    }

    /**
     * Reads files in order and returns their events. When learning, every event gets the final id and text of its
     * template (templates learned later may have generalised or absorbed earlier ones): the ids detection will see.
     */
    public List<ParsedEvent> readAll(List<Path> files) {
        if (files.isEmpty()) {
            throw new AnomalogException("no log files given");
        }
        List<ParsedEvent> events = new ArrayList<>();
        for (Path f : files) {
            read(open(f), events::add);
        }
        return mode == MinerSettings.Mode.LEARN ? resolved(events) : events;
    }

    /** The events with the current id and text of their templates. */
    public List<ParsedEvent> resolved(List<ParsedEvent> events) {
        List<ParsedEvent> out = new ArrayList<>(events.size());
        for (ParsedEvent e : events) {
            int id = miner.resolve(e.templateId());
            String text = miner.template(id).orElse(e.template());
            out.add(id == e.templateId() && text.equals(e.template()) ? e
                    : new ParsedEvent(e.record(), id, text, e.parameters()));
        }
        return out;
    }

    /** Dead-letters an event that the grouping could not place (no session id, no timestamp, late). */
    public void reject(ParsedEvent e, LineProblem problem, String detail) {
        reject(e.record(), problem, detail, deadLetters);
    }

    /** Like {@link #reject(ParsedEvent, LineProblem, String)}, into {@code sink}. */
    public void reject(LogRecord r, LineProblem problem, String detail, DeadLetters sink) {
        stats.problem(problem, true);
        sink.accept(new DeadLetter(r.source(), r.lineNumber(), problem.reason() + detail, r.content()));
    }

    /** Counts and dead-letters what a batch grouper could not place. */
    public void rejectUngrouped(DeadLetter letter, LineProblem problem) {
        stats.problem(problem, true);
        deadLetters.accept(letter);
    }


    /** Configures an {@link IngestPipeline}. */
    public static final class Builder {
        private final LogFormat format;
        private int maxLineBytes = LogReader.DEFAULT_MAX_LINE_BYTES;
        private MinerSettings settings = MinerSettings.defaults();
        private MinerSettings.Mode mode = MinerSettings.Mode.LEARN;
        private TemplateStore store;
        private String storeName = "(in memory)";
        private boolean overrideSettings;
        private BadLinePolicy policy = BadLinePolicy.defaults();
        private DeadLetters deadLetters = DeadLetters.collecting();

        private Builder(LogFormat format) {
            this.format = format;
        }

        /** Lines longer than this many bytes are cut, kept and counted. */
        public Builder maxLineBytes(int n) {
            if (n < 16) {
                throw new AnomalogException("the line cap must be at least 16 bytes, got " + n);
            }
            this.maxLineBytes = n;
            return this;
        }

        public Builder miner(MinerSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        public Builder mode(MinerSettings.Mode m) {
            this.mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        /** The store templates come from and go to (a new empty one when not given). */
        public Builder store(TemplateStore s) {
            this.store = s;
            return this;
        }

        /** The store, named in messages (its file). */
        public Builder store(TemplateStore s, String name) {
            this.store = s;
            this.storeName = name;
            return this;
        }

        /** Use the given miner settings even when the store was made with others. */
        public Builder overrideSettings(boolean override) {
            this.overrideSettings = override;
            return this;
        }

        public Builder policy(BadLinePolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        public Builder deadLetters(DeadLetters d) {
            this.deadLetters = Objects.requireNonNull(d, "deadLetters");
            return this;
        }

        public IngestPipeline build() {
            return new IngestPipeline(this);
        }
    }
}
