package io.anomalog.core.io;

import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens input files with the checks and messages users need; {@code .gz} files are decompressed. */
public final class TextFiles {

    private TextFiles() {
    }

    /** Opens a file for reading, failing with a clear message when it is missing or unreadable. */
    public static InputStream open(Path file) {
        if (Files.isDirectory(file)) {
            throw new AnomalogException("input " + file + " is a directory, not a file");
        }
        try {
            InputStream in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new AnomalogException("input file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new AnomalogException("input file " + file + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new AnomalogException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A UTF-8 reader that replaces invalid bytes with U+FFFD instead of failing: log files mix encodings and
     * carry binary junk, and one bad byte must not stop a run.
     */
    public static BufferedReader reader(InputStream in) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }

    public static BufferedReader reader(Path file) {
        return reader(open(file));
    }
}
