package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * Reads the timestamp text of a log line as an {@link Instant}: with a {@code java.time} pattern (the loghub
 * presets each have one), as epoch seconds or milliseconds, as ISO-8601, or by trying all of these ({@link #auto()}).
 *
 * <p>Conventions, the same everywhere: a time without a zone is UTC; a pattern without a year (syslog's
 * {@code MMM d HH:mm:ss}) reads in the year {@value #DEFAULT_YEAR}, so windows and elapsed times are right except
 * across a year end; unreadable text gives null, never an exception.
 *
 * <p>Lines of one second share their timestamp text, so the last text read and its instant are kept: most lines
 * cost one string comparison. Safe for concurrent use (the cache is one immutable pair, replaced whole).
 */
public final class TimeReader {

    /** The year of timestamps whose text has none (a leap year, so that February 29 reads). */
    public static final int DEFAULT_YEAR = 2000;

    private interface Parser {
        Instant parse(String text);
    }

    private record Last(String text, Instant instant) {
    }

    private final String description;
    private final Parser parser;
    private volatile Last last = new Last(null, null);

    private TimeReader(String description, Parser parser) {
        this.description = description;
        this.parser = parser;
    }

    /**
     * A {@link DateTimeFormatter} pattern such as {@code yyMMdd HHmmss} (HDFS) or {@code yyyy-MM-dd HH:mm:ss,SSS}.
     *
     * @throws AnomalogException when the pattern is not valid
     */
    public static TimeReader pattern(String pattern) {
        // a pattern without a year reads in DEFAULT_YEAR; one with a year must not get a default that could conflict
        boolean hasYear = pattern.indexOf('y') >= 0 || pattern.indexOf('u') >= 0;
        DateTimeFormatter formatter;
        try {
            DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern);
            if (!hasYear) {
                b.parseDefaulting(ChronoField.YEAR_OF_ERA, DEFAULT_YEAR);
            }
            // a time of day alone ("HH:mm:ss") reads on January 1 of its year
            if (pattern.chars().noneMatch(c -> c == 'M' || c == 'L' || c == 'd' || c == 'D')) {
                b.parseDefaulting(ChronoField.MONTH_OF_YEAR, 1).parseDefaulting(ChronoField.DAY_OF_MONTH, 1);
            }
            formatter = b.toFormatter(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new AnomalogException("timestamp format '" + pattern + "' is not a valid java.time pattern: "
                    + e.getMessage());
        }
        return new TimeReader(pattern, text -> fromTemporal(formatter.parse(text)));
    }

    /** Epoch seconds (possibly with a fraction) or milliseconds (13 digits and more). */
    public static TimeReader epoch() {
        return new TimeReader("epoch", TimeReader::parseEpoch);
    }

    /** ISO-8601 instants, offset date-times and local date-times ({@code 2024-01-01T10:00:00Z}). */
    public static TimeReader iso() {
        return new TimeReader("iso-8601", TimeReader::parseIso);
    }

    /** Common layouts tried in turn: ISO-8601, epoch, then the layouts of well-known log formats. */
    public static TimeReader auto() {
        List<TimeReader> tries = List.of(iso(), epoch(), pattern("yyyy-MM-dd HH:mm:ss,SSS"),
                pattern("yyyy-MM-dd HH:mm:ss.SSS"), pattern("yyyy-MM-dd HH:mm:ss"), pattern("yyMMdd HHmmss"),
                pattern("yy/MM/dd HH:mm:ss"), pattern("MMM d HH:mm:ss"), pattern("EEE MMM dd HH:mm:ss yyyy"),
                pattern("dd/MMM/yyyy:HH:mm:ss Z"), pattern("yyyy-MM-dd-HH.mm.ss.SSSSSS"),
                pattern("MM-dd HH:mm:ss.SSS"), pattern("yyyyMMdd-HH:mm:ss:SSS"), pattern("MM.dd HH:mm:ss"));
        return new TimeReader("auto", text -> {
            for (TimeReader r : tries) {
                Instant t = r.read(text);
                if (t != null) {
                    return t;
                }
            }
            return null;
        });
    }

    /**
     * A reader from what a user typed: {@code auto}, {@code epoch}, {@code iso} or a {@code java.time} pattern.
     */
    public static TimeReader of(String spec) {
        return switch (spec.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> auto();
            case "epoch" -> epoch();
            case "iso", "iso-8601", "iso8601" -> iso();
            default -> pattern(spec.strip());
        };
    }

    /** The instant of the text, or null when it is null or cannot be read. */
    public Instant read(String text) {
        if (text == null) {
            return null;
        }
        Last l = last;
        if (text.equals(l.text)) {
            return l.instant;
        }
        Instant t;
        try {
            t = parser.parse(text.strip());
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            t = null;
        }
        last = new Last(text, t);
        return t;
    }

    /** What users typed to get this reader ({@code yyMMdd HHmmss}, {@code epoch}, {@code auto}). */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    private static Instant fromTemporal(TemporalAccessor t) {
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(t);
        }
        LocalDate date = LocalDate.from(t);
        LocalDateTime dt = t.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.of(date, java.time.LocalTime.from(t)) : date.atStartOfDay();
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
            return dt.toInstant(ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)));
        }
        return dt.toInstant(ZoneOffset.UTC);
    }

    private static Instant parseEpoch(String text) {
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        if (whole.isEmpty() || whole.length() > 19) {
            return null;
        }
        for (int i = 0; i < whole.length(); i++) {
            char c = whole.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long v = Long.parseLong(whole);
        if (whole.length() >= 13) {             // milliseconds (seconds would be past the year 5000)
            return Instant.ofEpochMilli(v);
        }
        long nanos = 0;
        if (dot >= 0) {
            String frac = (text.substring(dot + 1) + "000000000").substring(0, 9);
            for (int i = 0; i < 9; i++) {
                if (frac.charAt(i) < '0' || frac.charAt(i) > '9') {
                    return null;
                }
            }
            nanos = Long.parseLong(frac);
        }
        return Instant.ofEpochSecond(v, nanos);
    }

    private static Instant parseIso(String text) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
