package io.anomalog.core.log;

import java.util.List;

/**
 * Turns one raw line into a {@link LogRecord}. Implementations never throw on a bad line: a line that does not
 * fit is returned with {@code headerMatched = false} and the whole line as content, so nothing is dropped.
 */
public interface LogFormat {

    /** The name users give on the command line ({@code --format NAME}). */
    String name();

    /** Header field names in output order (the columns of a loghub structured CSV, without Content). */
    List<String> fieldNames();

    /**
     * @param line       the line without its line terminator
     * @param source     where it came from
     * @param lineNumber 1-based line number
     * @param offset     byte offset of the line, or -1
     */
    LogRecord parse(String line, String source, long lineNumber, long offset);

    /** How this format reads its timestamps as instants. */
    TimeReader timeReader();

    /** The same format, reading timestamps with another reader ({@code --timestamp-format}). */
    LogFormat withTimeReader(TimeReader reader);
}
