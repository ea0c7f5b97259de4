package io.anomalog.cli;

import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Durations;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * How events become sequences, the same options for train, detect, evaluate, stream and demo: sessions by an id
 * (a regex or a field), sliding windows of a number of events, or time windows; and the rules that close them
 * live (an inactivity gap, an end event, a size and an age cap for sessions; a grace for late lines of time
 * windows).
 */
final class GroupingOptions {

    @Option(names = "--session-id", paramLabel = "REGEX",
            description = "Group lines into sessions by each distinct match of REGEX in the message (its first group "
                    + "if it has one), e.g. 'blk_-?\\d+' for HDFS blocks; a line with several ids joins each session.")
    String sessionId;

    @Option(names = "--session-field", paramLabel = "NAME",
            description = "Group lines into sessions by the value of a header or JSON field (e.g. Node, request.id).")
    String sessionField;

    @Option(names = "--window", paramLabel = "SIZE[,STEP]",
            description = "Group lines into sliding windows of SIZE events, a new one every STEP events (default "
                    + "STEP = SIZE: windows side by side).")
    String window;

    @Option(names = "--time-window", paramLabel = "DURATION[,STEP]",
            description = "Group lines into windows of DURATION by their timestamps (e.g. 1m, or 1m,30s for "
                    + "overlapping windows).")
    String timeWindow;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "Time windows, live: lines up to this late (in event time) still join their window "
                    + "(default: 5s).")
    String grace;

    @Option(names = "--end-event", paramLabel = "REGEX", description = "A line matching REGEX closes its sessions.")
    String endEvent;

    @Option(names = "--max-session-events", paramLabel = "N",
            description = "A session reaching N events is closed; later lines of its id open a new one (default: 10000).")
    Integer maxSessionEvents;

    @Option(names = "--session-gap", paramLabel = "DURATION",
            description = "Sessions, live: a session closes after this long without a line of it (default: 30s).")
    String gap;

    @Option(names = "--max-session-age", paramLabel = "DURATION",
            description = "Sessions, live: a session open this long is closed and flagged as overlong (default: 1h).")
    String maxAge;

    /** Whether any grouping option was given. */
    boolean given() {
        return kinds() > 0 || grace != null || endEvent != null || maxSessionEvents != null || gap != null
                || maxAge != null;
    }

    private int kinds() {
        return (sessionId != null ? 1 : 0) + (sessionField != null ? 1 : 0) + (window != null ? 1 : 0)
                + (timeWindow != null ? 1 : 0);
    }

    /** Refuses the options that only the stream reads, for a batch command. */
    void refuseLiveOnly(String command) {
        for (String[] o : new String[][]{{"--session-gap", gap}, {"--max-session-age", maxAge}, {"--grace", grace}}) {
            if (o[1] != null) {
                throw new AnomalogException(o[0] + " closes sessions or windows of the live stream; " + command
                        + " reads its input whole, so it would be ignored");
            }
        }
    }

    /**
     * The grouping asked for, or {@code fallback} (a model's own) when no kind was given, with the closing rules
     * given applied; null when neither.
     *
     * @param input names the input in the message when no grouping can be had
     */
    GroupingSpec spec(GroupingSpec fallback, String input) {
        if (kinds() > 1) {
            throw new AnomalogException("give one way to group lines: --session-id, --session-field, --window or "
                    + "--time-window");
        }
        GroupingSpec s;
        if (sessionId != null) {
            s = GroupingSpec.Sessions.byPattern(sessionId);
        } else if (sessionField != null) {
            s = new GroupingSpec.Sessions(SessionIdRule.field(sessionField), null, null,
                    GroupingSpec.Sessions.DEFAULT_MAX_EVENTS, null);
        } else if (window != null) {
            int[] sizeStep = sizeStep(window);
            s = new GroupingSpec.CountWindows(sizeStep[0], sizeStep[1]);
        } else if (timeWindow != null) {
            String[] parts = timeWindow.split(",", -1);
            if (parts.length > 2) {
                throw new AnomalogException("--time-window must be DURATION or DURATION,STEP, not '" + timeWindow + "'");
            }
            s = new GroupingSpec.TimeWindows(Durations.positive(parts[0], "--time-window"),
                    parts.length > 1 ? Durations.positive(parts[1], "--time-window step") : null, null);
        } else {
            s = fallback;
        }
        if (s == null) {
            if (given()) {
                throw new AnomalogException(input + " needs one way to group lines: --session-id REGEX, "
                        + "--session-field NAME, --window SIZE[,STEP] or --time-window DURATION[,STEP]");
            }
            return null;
        }
        return withClosingRules(s);
    }

    private GroupingSpec withClosingRules(GroupingSpec s) {
        if (s instanceof GroupingSpec.Sessions sessions) {
            if (grace != null) {
                throw new AnomalogException("--grace is for time windows; sessions close after --session-gap");
            }
            if (gap != null) {
                sessions = sessions.withGap(Durations.positive(gap, "--session-gap"));
            }
            if (maxAge != null) {
                sessions = sessions.withMaxAge(Durations.positive(maxAge, "--max-session-age"));
            }
            if (endEvent != null) {
                sessions = sessions.withEndEvent(endEvent);
            }
            if (maxSessionEvents != null) {
                sessions = sessions.withMaxEvents(maxSessionEvents);
            }
            return sessions;
        }
        for (String[] o : new String[][]{{"--session-gap", gap}, {"--max-session-age", maxAge},
                {"--end-event", endEvent}, {"--max-session-events", maxSessionEvents == null ? null : "x"}}) {
            if (o[1] != null) {
                throw new AnomalogException(o[0] + " closes sessions; windows close by their size");
            }
        }
        if (grace != null) {
            if (!(s instanceof GroupingSpec.TimeWindows t)) {
                throw new AnomalogException("--grace is for time windows; windows of events close when they are full");
            }
            Duration g = Durations.parse(grace, "--grace");
            return new GroupingSpec.TimeWindows(t.size(), t.step(), g);
        }
        return s;
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
}
