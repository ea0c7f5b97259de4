package io.anomalog.stream.ship;

/**
 * One log entry read from a file: a line, or several joined lines (a stack trace under its first line).
 *
 * @param text       the entry without its final line terminator; joined lines are separated by '\n'
 * @param offset     byte offset of the entry's first byte in the file
 * @param nextOffset byte offset just past the entry (where reading resumes)
 * @param truncated  true when the entry was longer than the cap and was cut (the rest is skipped)
 */
public record LogEntry(String text, long offset, long nextOffset, boolean truncated) {

    public LogEntry(String text, long offset, long nextOffset) {
        this(text, offset, nextOffset, false);
    }
}
