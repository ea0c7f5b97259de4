package io.anomalog.cli;

import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.Label;
import io.anomalog.core.util.AnomalogException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The grouping the user chose for events from text (--session-id, --window or --time-window), checked and turned
 * into a {@link Grouper}: exactly one of them, labels only with session ids, a timestamp format with time windows.
 */
record GroupingChoice(Grouper grouper, String unit) {

    static GroupingChoice of(String sessionId, String window, String timeWindow, String timestampFormat, Path labels,
                             Label defaultLabel, String input) {
        int chosen = (sessionId != null ? 1 : 0) + (window != null ? 1 : 0) + (timeWindow != null ? 1 : 0);
        if (chosen != 1) {
            throw new AnomalogException(input + " needs one way to group lines: --session-id REGEX, --window "
                    + "SIZE[,STEP] or --time-window DURATION[,STEP]");
        }
        if (labels != null && sessionId == null) {
            throw new AnomalogException("--labels name sessions by id; windows have no ids to label (use --session-id)");
        }
        if (timestampFormat != null && timeWindow == null) {
            throw new AnomalogException("--timestamp-format is read by --time-window only");
        }
        if (sessionId != null) {
            Map<String, Label> byId = labels == null ? Map.of() : LogSessions.labels(labels);
            Label fallback = labels == null ? defaultLabel : Label.UNKNOWN;
            return new GroupingChoice(Grouper.bySession().idPattern(sessionId)
                    .labels(id -> byId.getOrDefault(id, fallback)).build(), "sessions");
        }
        if (window != null) {
            int[] sizeStep = sizeStep(window);
            return new GroupingChoice(Grouper.slidingWindow().size(sizeStep[0]).step(sizeStep[1]).build(), "windows");
        }
        if (timestampFormat == null) {
            throw new AnomalogException("--time-window needs --timestamp-format PATTERN (e.g. 'yyMMdd HHmmss')");
        }
        String[] parts = timeWindow.split(",", -1);
        var b = Grouper.timeWindow().size(duration(parts[0], "--time-window")).timestampFormat(timestampFormat);
        if (parts.length > 1) {
            b.step(duration(parts[1], "--time-window step"));
        }
        return new GroupingChoice(b.build(), "windows");
    }

    private static int[] sizeStep(String text) {
        String[] parts = text.split(",", -1);
        try {
            int size = Integer.parseInt(parts[0].trim());
            int step = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : size;
            if (parts.length > 2 || size < 1 || step < 1) {
                throw new NumberFormatException();
            }
            return new int[]{size, step};
        } catch (NumberFormatException e) {
            throw new AnomalogException("--window must be SIZE or SIZE,STEP with whole numbers >= 1, not '" + text + "'");
        }
    }

    private static Duration duration(String text, String what) {
        try {
            Duration d = Duration.parse(text.trim());
            if (d.isZero() || d.isNegative()) {
                throw new DateTimeParseException("not positive", text, 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new AnomalogException(what + " must be a positive ISO-8601 duration such as PT1M, not '" + text + "'");
        }
    }
}
