package io.anomalog.core.data;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.TextFiles;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log-key sequence files, one sequence per line, in the layouts the public datasets use:
 * <ul>
 *   <li>DeepLog: {@code 5 5 22 11 9} (space-separated keys; the id is the line number);</li>
 *   <li>id-prefixed: {@code blk_123,5 5 22} or {@code <uuid>,1 17 10} (ait, OpenStack, Hadoop);</li>
 *   <li>labelled CSV: {@code Sequence,label} header, then {@code 5 5 22,0} (LogRobust).</li>
 * </ul>
 * A line that cannot be used is returned as a {@link DeadLetter} with the reason and its line number, and the
 * other lines are read on: a token that is not a whole number, a key outside {@code 0..}{@value #MAX_KEY} (keys
 * are template ids; larger ones are those of templates first met while detecting), a line without any key (it
 * would be a session with nothing to judge).
 */
public final class KeySequenceReader {

    /** The largest log key a key file may hold. */
    public static final int MAX_KEY = (1 << 30) - 1;

    /** Sequences read plus the lines that could not be used. */
    public record Result(List<Sequence> sequences, List<DeadLetter> rejected) {
    }

    private KeySequenceReader() {
    }

    /**
     * @param file  the file (.gz allowed)
     * @param label label for every sequence, unless the file has a label column
     */
    public static Result read(Path file, Label label) {
        try (BufferedReader r = TextFiles.reader(file)) {
            return read(r, file.getFileName().toString(), label);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result read(BufferedReader r, String source, Label label) throws IOException {
        List<Sequence> out = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        String line;
        long n = 0;
        boolean labelledCsv = false;
        while ((line = r.readLine()) != null) {
            n++;
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);   // a UTF-8 byte-order mark written by some editors
            }
            if (n == 1 && line.strip().toLowerCase(java.util.Locale.ROOT).startsWith("sequence,label")) {
                labelledCsv = true;
                continue;
            }
            String id = source + ":" + n;
            String keysText = line.strip();
            Label rowLabel = label;
            if (labelledCsv) {
                int comma = keysText.lastIndexOf(',');
                String lab = comma < 0 ? "" : keysText.substring(comma + 1).strip();
                if (!lab.equals("0") && !lab.equals("1")) {
                    rejected.add(new DeadLetter(source, n, "label is not 0 or 1", line));
                    continue;
                }
                rowLabel = lab.equals("1") ? Label.ANOMALOUS : Label.NORMAL;
                keysText = keysText.substring(0, comma).strip();
            } else {
                int comma = keysText.indexOf(',');
                if (comma >= 0) {
                    id = keysText.substring(0, comma).strip();
                    keysText = keysText.substring(comma + 1).strip();
                }
            }
            if (keysText.isEmpty()) {
                rejected.add(new DeadLetter(source, n, "no log keys on the line", line));
                continue;
            }
            try {
                out.add(new Sequence(id, parseKeys(keysText), rowLabel));
            } catch (NumberFormatException e) {
                rejected.add(new DeadLetter(source, n, e.getMessage(), line));
            }
        }
        return new Result(out, rejected);
    }

    /**
     * Parses space-separated keys, each a whole number in {@code 0..}{@value #MAX_KEY}; throws
     * NumberFormatException whose message names the bad token and why.
     */
    public static int[] parseKeys(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] tokens = text.trim().split("\\s+");
        int[] keys = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i].length() > 40 ? tokens[i].substring(0, 40) + "..." : tokens[i];
            long k;
            try {
                k = Long.parseLong(tokens[i]);
            } catch (NumberFormatException e) {
                throw new NumberFormatException("not a log key: '" + t + "'");
            }
            if (k < 0 || k > MAX_KEY) {
                throw new NumberFormatException("log key " + t + " is outside 0.." + MAX_KEY);
            }
            keys[i] = (int) k;
        }
        return keys;
    }
}
