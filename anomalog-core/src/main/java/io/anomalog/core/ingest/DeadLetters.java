package io.anomalog.core.ingest;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where lines that cannot be used go, with their reason: a JSON-lines file in batch ({@link #file}), the
 * {@code anomalog.deadletter} topic live, a list in tests. Thread-safe.
 */
public interface DeadLetters extends AutoCloseable {

    void accept(DeadLetter letter);

    /** Dead letters accepted so far. */
    long count();

    @Override
    default void close() {
    }

    /**
     * A JSON-lines file, created with the first dead letter (a run without any leaves no file), flushed on close.
     */
    static DeadLetters file(Path path) {
        return new FileDeadLetters(path);
    }

    /** Keeps them in memory (tests, and callers that report them themselves). */
    static Collected collecting() {
        return new Collected();
    }

    /** Dead letters kept in a list. */
    final class Collected implements DeadLetters {
        private final List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(DeadLetter letter) {
            letters.add(letter);
        }

        @Override
        public long count() {
            return letters.size();
        }

        public List<DeadLetter> letters() {
            synchronized (letters) {
                return List.copyOf(letters);
            }
        }
    }

    /** The batch commands' dead-letter file. */
    final class FileDeadLetters implements DeadLetters {
        private final Path path;
        private Writer writer;
        private long count;

        FileDeadLetters(Path path) {
            this.path = path;
        }

        public Path path() {
            return path;
        }

        @Override
        public synchronized void accept(DeadLetter letter) {
            try {
                if (writer == null) {
                    Path parent = path.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path),
                            StandardCharsets.UTF_8), 1 << 16);
                }
                writer.write(Json.MAPPER.writeValueAsString(letter));
                writer.write('\n');
                count++;
            } catch (IOException e) {
                throw new AnomalogException("cannot write dead letters to " + path + ": " + reasonOf(e));
            }
        }

        @Override
        public synchronized long count() {
            return count;
        }

        @Override
        public synchronized void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    throw new AnomalogException("cannot write dead letters to " + path + ": " + reasonOf(e));
                }
            }
        }

        private static String reasonOf(IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
