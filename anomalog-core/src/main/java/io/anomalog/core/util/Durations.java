package io.anomalog.core.util;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: {@code 60s}, {@code 5m}, {@code 1h30m}, {@code 500ms}, {@code 2d}, or ISO-8601
 * ({@code PT5M}). A bare number is refused, since seconds and milliseconds are both plausible readings.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @param what names the option in the message ("--session-gap")
     * @throws AnomalogException with an example when the text is not a duration
     */
    public static Duration parse(String text, String what) {
        String t = text == null ? "" : text.strip();
        if (t.toUpperCase(Locale.ROOT).startsWith("P") || t.startsWith("-P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text, what);
            }
        }
        String lower = t.toLowerCase(Locale.ROOT).replace(" ", "");
        boolean negative = lower.startsWith("-");
        if (negative) {
            lower = lower.substring(1);
        }
        Matcher m = PART.matcher(lower);
        int at = 0;
        double millis = 0;
        while (at < lower.length() && m.find(at) && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            millis += v * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            at = m.end();
        }
        if (at == 0 || at != lower.length()) {
            throw invalid(text, what);
        }
        Duration d = Duration.ofNanos(Math.round(millis * 1e6));
        return negative ? d.negated() : d;
    }

    /** Like {@link #parse}, and the duration must be above zero. */
    public static Duration positive(String text, String what) {
        Duration d = parse(text, what);
        if (d.isZero() || d.isNegative()) {
            throw new AnomalogException(what + " must be a positive duration, not '" + text + "'");
        }
        return d;
    }

    private static AnomalogException invalid(String text, String what) {
        return new AnomalogException(what + ": '" + text + "' is not a duration; write it as 60s, 5m, 1h30m, 500ms or "
                + "ISO-8601 (PT5M)");
    }
}
