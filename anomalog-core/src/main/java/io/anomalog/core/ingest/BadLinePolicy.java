package io.anomalog.core.ingest;

/**
 * What happens to lines with a {@link LineProblem}, the same in batch and live: nothing is dropped silently.
 * Lines that do not fit the format are kept by default (their whole text is the content, so they still get a
 * template and a key) and counted; {@link #deadLetterMismatches()} sends them to the dead letters instead. Unusable
 * (binary) lines, lines without a session id or timestamp where the grouping needs one, and late lines always go
 * to the dead letters; cut lines are kept and counted; empty lines are skipped and counted.
 *
 * @param deadLetterMismatches true: lines that do not fit the format go to the dead letters instead of being kept
 */
public record BadLinePolicy(boolean deadLetterMismatches) {

    /** Keep lines that do not fit the format (the default). */
    public static BadLinePolicy defaults() {
        return new BadLinePolicy(false);
    }

    /**
     * A line that is mostly replacement or control characters carries no message worth a template: more than
     * half of its characters are U+FFFD (undecodable bytes) or control characters other than tab.
     */
    public static boolean unusable(String content) {
        if (content.isEmpty()) {
            return false;
        }
        int n = content.length();
        int bad = 0;
        int good = 0;
        for (int i = 0; i < n; i++) {
            char c = content.charAt(i);
            if (c == '\uFFFD' || (c < 0x20 && c != '\t')) {
                bad++;
            } else if (++good * 2 >= n) {
                return false;          // half the line is fine already: the rest cannot make it unusable
            }
        }
        return bad * 2 > n;
    }
}
