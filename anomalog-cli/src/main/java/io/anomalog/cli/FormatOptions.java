package io.anomalog.cli;

import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How raw lines are read, the same options on every command that reads logs (parse, train, detect, evaluate,
 * stream, demo): one format choice, how its timestamps read, the line cap, and what happens to lines that do
 * not fit the format.
 */
final class FormatOptions {

    /** Exactly one way to say the format. */
    static final class Choice {
        @Option(names = "--format", paramLabel = "NAME",
                description = "Log format: a loghub system (hdfs, bgl, openstack, hadoop, spark, ...), raw, filebeat or json.")
        String name;
        @Option(names = "--regex", paramLabel = "REGEX",
                description = "Custom format: Java regex with named groups, one named 'content' (and optionally "
                        + "timestamp, host, level, component).")
        String regex;
        @Option(names = "--header", paramLabel = "SPEC",
                description = "Custom loghub-style format, e.g. '<Date> <Time> <Level> <Content>'.")
        String header;
        @Option(names = "--format-file", paramLabel = "FILE",
                description = "Format config file (format=, regex=, header= or json.message=; timestamp.format=).")
        Path file;
        @Option(names = "--json-field", paramLabel = "FIELD",
                description = "JSON lines with the message in FIELD (dotted paths reach nested objects); every other "
                        + "field is kept, typed.")
        String jsonField;

        FormatSpec spec() {
            if (name != null) {
                return FormatSpec.preset(name);
            }
            if (regex != null) {
                return FormatSpec.regex(regex);
            }
            if (header != null) {
                return FormatSpec.header(header);
            }
            if (jsonField != null) {
                return FormatSpec.json(jsonField);
            }
            return FormatSpec.load(file);
        }
    }

    @ArgGroup(exclusive = true)
    Choice choice;

    @Option(names = "--timestamp-format", paramLabel = "PATTERN",
            description = "How timestamps read: a java.time pattern (e.g. 'yyMMdd HHmmss'), epoch, iso or auto "
                    + "(default: the format's own; the loghub presets know theirs).")
    String timestampFormat;

    @Option(names = "--max-line-bytes", paramLabel = "N",
            description = "Longer lines are cut, kept and counted (default: 1048576).")
    Integer maxLineBytes;

    @Option(names = "--on-mismatch", paramLabel = "keep|dead-letter",
            description = "Lines that do not fit the format: keep them (the whole line is the content; default) or "
                    + "send them to the dead letters.")
    String onMismatch;

    /** Whether any of these options was given. */
    boolean given() {
        return choice != null || timestampFormat != null || maxLineBytes != null || onMismatch != null;
    }

    /** The format asked for, or {@code fallback} (a model's own) when none was given; null when neither. */
    FormatSpec spec(FormatSpec fallback) {
        FormatSpec s = choice != null ? choice.spec() : fallback;
        if (s == null) {
            if (timestampFormat != null) {
                throw new AnomalogException("--timestamp-format needs a log format (--format, --regex, --header, "
                        + "--format-file or --json-field)");
            }
            return null;
        }
        if (timestampFormat != null) {
            s = s.withTimestampFormat(timestampFormat);
        }
        s.resolve();    // an unknown preset or a bad pattern is reported before any work starts
        return s;
    }

    int maxLineBytes() {
        return maxLineBytes == null ? io.anomalog.core.log.LogReader.DEFAULT_MAX_LINE_BYTES : maxLineBytes;
    }

    BadLinePolicy policy() {
        if (onMismatch == null || onMismatch.equals("keep")) {
            return BadLinePolicy.defaults();
        }
        if (onMismatch.equals("dead-letter")) {
            return new BadLinePolicy(true);
        }
        throw new AnomalogException("--on-mismatch must be keep or dead-letter, not '" + onMismatch + "'");
    }

    /** The options as text, for messages. */
    String names() {
        return "--format, --regex, --header, --format-file, --json-field, --timestamp-format, --max-line-bytes, "
                + "--on-mismatch";
    }
}
