package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A log format as a user chose it: a named preset ({@code hdfs}, {@code raw}, {@code json} ...), a regex with
 * named groups, a loghub-style header spec, or JSON lines with the message in a given field; plus, optionally,
 * how timestamps read. It is what a model's provenance records, so that {@code detect} and {@code stream} can read
 * new lines exactly as the training lines were read.
 *
 * @param kind            {@code preset}, {@code regex}, {@code header} or {@code json}
 * @param value           the preset name, the regex, the header spec, or the JSON message field
 * @param timestampFormat {@code auto}, {@code epoch}, {@code iso} or a {@code java.time} pattern; null for the
 *                        format's own
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record FormatSpec(String kind, String value, String timestampFormat) {

    public FormatSpec {
        if (kind == null || value == null) {
            throw new AnomalogException("a log format needs a kind and a value");
        }
        switch (kind) {
            case "preset", "regex", "header", "json" -> {
            }
            default -> throw new AnomalogException("unknown log format kind '" + kind + "'");
        }
    }

    public static FormatSpec preset(String name) {
        return new FormatSpec("preset", name, null);
    }

    public static FormatSpec regex(String regex) {
        return new FormatSpec("regex", regex, null);
    }

    public static FormatSpec header(String spec) {
        return new FormatSpec("header", spec, null);
    }

    public static FormatSpec json(String messageField) {
        return new FormatSpec("json", messageField, null);
    }

    /**
     * A format from a config file (Java properties): {@code format=NAME}, {@code regex=...},
     * {@code header=<Date> ... <Content>} or {@code json.message=FIELD}, exactly one of them, and optionally
     * {@code timestamp.format=PATTERN}.
     */
    public static FormatSpec load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new AnomalogException("format file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new AnomalogException("cannot read format file " + file + ": " + e.getMessage());
        }
        int given = 0;
        FormatSpec f = null;
        if (p.getProperty("format") != null) {
            f = preset(p.getProperty("format").strip());
            given++;
        }
        if (p.getProperty("regex") != null) {
            f = regex(p.getProperty("regex").strip());
            given++;
        }
        if (p.getProperty("header") != null) {
            f = header(p.getProperty("header").strip());
            given++;
        }
        if (p.getProperty("json.message") != null) {
            f = json(p.getProperty("json.message").strip());
            given++;
        }
        if (given != 1) {
            throw new AnomalogException("format file " + file
                    + " must set exactly one of format=, regex=, header=, json.message= (found " + given + ")");
        }
        String ts = p.getProperty("timestamp.format");
        return ts == null ? f : f.withTimestampFormat(ts.strip());
    }

    public FormatSpec withTimestampFormat(String pattern) {
        return new FormatSpec(kind, value, pattern);
    }

    /** The format itself; an unknown preset, a bad regex or a bad timestamp pattern is a clear error. */
    public LogFormat resolve() {
        LogFormat f = switch (kind) {
            case "preset" -> LogFormats.byName(value);
            case "regex" -> LogFormats.regex(value);
            case "header" -> LogFormats.header(value);
            default -> LogFormats.json(value);
        };
        return timestampFormat == null ? f : f.withTimeReader(TimeReader.of(timestampFormat));
    }

    /** As a manifest keeps it. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("value", value);
        if (timestampFormat != null) {
            m.put("timestampFormat", timestampFormat);
        }
        return m;
    }

    /** Back from {@link #describe()}. */
    public static FormatSpec of(Map<String, String> m) {
        if (m == null || m.get("kind") == null) {
            return null;
        }
        return new FormatSpec(m.get("kind"), m.get("value"), m.get("timestampFormat"));
    }

    @Override
    public String toString() {
        String base = kind.equals("preset") ? value : kind + " " + value;
        return timestampFormat == null ? base : base + " (timestamps " + timestampFormat + ")";
    }
}
