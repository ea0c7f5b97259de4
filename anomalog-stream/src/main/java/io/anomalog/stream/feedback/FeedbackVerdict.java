package io.anomalog.stream.feedback;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.anomalog.core.util.AnomalogException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a person said about an anomaly. */
public enum FeedbackVerdict {
    /** The session was normal: the model should learn it. */
    FALSE_POSITIVE("false-positive"),
    /** The session was a real anomaly: no update may turn it normal. */
    CONFIRMED("confirmed");

    private final String text;

    FeedbackVerdict(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    /** Reads {@code false-positive} or {@code confirmed} (any case, '_' for '-'); anything else is a clear error. */
    @JsonCreator
    public static FeedbackVerdict parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (FeedbackVerdict v : values()) {
            if (v.text.equals(t)) {
                return v;
            }
        }
        throw new AnomalogException("unknown verdict '" + s + "': use one of " + Arrays.stream(values())
                .map(FeedbackVerdict::text).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return text;
    }
}
