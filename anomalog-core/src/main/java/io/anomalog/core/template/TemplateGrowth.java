package io.anomalog.core.template;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Watches the templates a parse creates, line by line, and says when they keep growing: on a healthy log new
 * templates become rare once its events have been seen, while a variable that escaped masking (a user name, an
 * id without digits) makes a new template every few lines until the cap evicts them. Memory stays small whatever
 * the input's length: new templates are counted per block of lines, and the blocks double in size (merged in
 * pairs) when there are too many. Not thread-safe: one reader feeds it.
 */
public final class TemplateGrowth {

    /** Lines before any verdict. */
    public static final long MIN_LINES = 10_000;
    private static final int BLOCKS = 64;
    private static final int LAST = 3;

    private final long[] blocks = new long[BLOCKS];
    private long blockLines = 1024;
    private long lines;
    private int highestId;
    private final Deque<String> lastNew = new ArrayDeque<>(LAST);

    /** @param knownHighestId the highest template id before this parse (ids above it are new) */
    public TemplateGrowth(int knownHighestId) {
        this.highestId = knownHighestId;
    }

    /** Counts one parsed line. */
    public void observe(ParsedEvent event) {
        int block = (int) (lines / blockLines);
        if (block >= BLOCKS) {
            for (int i = 0; i < BLOCKS / 2; i++) {
                blocks[i] = blocks[2 * i] + blocks[2 * i + 1];
            }
            java.util.Arrays.fill(blocks, BLOCKS / 2, BLOCKS, 0);
            blockLines *= 2;
            block = (int) (lines / blockLines);
        }
        lines++;
        if (event.templateId() > highestId) {
            highestId = event.templateId();
            blocks[block]++;
            if (lastNew.size() == LAST) {
                lastNew.removeFirst();
            }
            lastNew.addLast(event.template());
        }
    }

    /** New templates first seen in the second half of the lines so far (to the block). */
    public long newInSecondHalf() {
        long half = lines / 2;
        long n = 0;
        for (int i = 0; i < BLOCKS; i++) {
            if ((long) i * blockLines >= half) {
                n += blocks[i];
            }
        }
        return n;
    }

    /**
     * A warning when templates are still growing: at least {@link #MIN_LINES} lines, and more than
     * {@code max(100, 0.1%)} of the second half's lines opened a template of their own.
     */
    public Optional<String> warning() {
        if (lines < MIN_LINES) {
            return Optional.empty();
        }
        long late = newInSecondHalf();
        long half = lines - lines / 2;
        if (late <= Math.max(100, half / 1000)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "templates still growing after %,d lines: %,d new in the last "
                        + "%,d lines; last new templates look like: %s. A variable may have escaped masking "
                        + "(add --mask REGEX for it)", lines, late, half,
                String.join(" | ", List.copyOf(lastNew))));
    }
}
