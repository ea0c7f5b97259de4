package io.anomalog.core.io;

/**
 * Input that could not be used, kept with the reason so nothing vanishes: written to a dead-letter file by
 * the batch commands and to the {@code anomalog.deadletter} topic by the stream service.
 *
 * @param source     file or topic it came from
 * @param lineNumber 1-based line number (or record offset), -1 when unknown
 * @param reason     what was wrong, in words
 * @param text       the input itself (possibly cut to a readable length)
 */
public record DeadLetter(String source, long lineNumber, String reason, String text) {

    private static final int MAX_TEXT = 4096;

    public DeadLetter {
        if (text != null && text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "...";
        }
    }
}
