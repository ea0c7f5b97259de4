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
        if (HDFS_BLOCK.equals(pattern.pattern())) {
            return findBlock(text);
        }
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
    }

    /**
     * The first {@code blk_-?\d+} in the text, found by hand: it runs for every line of an HDFS stream, and a scan
     * for the literal prefix is several times cheaper than the general regex engine. Same result as the regex.
     */
    static String findBlock(String text) {
        int from = 0;
        int n = text.length();
        while (true) {
            int at = text.indexOf("blk_", from);
            if (at < 0) {
                return null;
            }
            int i = at + 4;
            if (i < n && text.charAt(i) == '-') {
                i++;
            }
            int digits = i;
            while (i < n && isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i > digits) {
                return text.substring(at, i);
            }
            from = at + 1;
        }
    }

    /** {@code \d} without UNICODE_CHARACTER_CLASS is [0-9] only. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
