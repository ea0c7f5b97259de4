package io.anomalog.stream.topology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the session a log line belongs to with a regular expression: its first capturing group when it has
 * one, else the whole match (HDFS: {@code blk_-?\d+}).
 */
public record SessionIds(Pattern pattern) {

    public static final String HDFS_BLOCK = "blk_-?\\d+";

    public static SessionIds of(String regex) {
        return new SessionIds(Pattern.compile(regex));
    }

    /** The session id in the text, or null when there is none. */
    public String find(String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
    }
}
