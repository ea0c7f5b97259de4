package io.anomalog.stream.topology;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How the detector keeps an open session in its state store, in a compact binary form with a format version.
 * A session is a small {@link Head} (host, id, counts, times) under {@code HASH host/id}, written when the
 * session opens, and its lines in chunks of at most {@link #CHUNK_LINES} lines under {@code HASH host/id NUL chunk}.
 * Each chunk starts with what changes with every line (the count of lines, the last times: {@link #CHUNK_HEAD}
 * bytes), so appending a line rewrites the last chunk only, one store write per line: its cost does not grow with
 * the session, and the store's record cache still turns the many updates of one chunk within a commit interval
 * into one changelog write. The head's current counts are those of its last chunk ({@link #current}).
 *
 * <p>{@code HASH} is eight hex digits of a hash of {@code host/id}. The record cache keeps keys in a tree ordered
 * by their bytes, and every append looks a key up in it: without the hash, keys of one host share a long prefix
 * ({@code host/blk_-}), and comparing that prefix byte by byte at every step down the tree was the largest single
 * cost of the detector's stream threads. With it, two keys mostly differ in their first bytes.
 */
public final class SessionState {

    private static final byte FORMAT_VERSION = 5;
    /** Bytes before a chunk's lines: the format, then the session's lines, last seen and last time so far. */
    public static final int CHUNK_HEAD = 1 + 4 + 8 + 8;
    /** Lines per chunk: few enough that rewriting a chunk is cheap, enough that most sessions have one. */
    public static final int CHUNK_LINES = 32;
    private static final char CHUNK_SEPARATOR = '\0';

    private SessionState() {
    }

    /** One line of a session: its log key, text, header timestamp and where it came from. */
    public record Line(int key, String text, String timestamp, String topic, int partition, long offset, long fileOffset) {

        public byte[] toBytes() {
            // Written for every line the detector reads, so straight into one buffer of the exact size.
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            byte[] ts = timestamp == null ? EMPTY : timestamp.getBytes(StandardCharsets.UTF_8);
            byte[] tp = topic.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + t.length + 4 + ts.length + 4 + tp.length + 4 + 8 + 8);
            b.put(FORMAT_VERSION).putInt(key).putInt(t.length).put(t).putInt(ts.length).put(ts).putInt(tp.length)
                    .put(tp).putInt(partition).putLong(offset).putLong(fileOffset);
            return b.array();
        }

        public static Line fromBytes(byte[] data) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Line read(DataInputStream in) throws IOException {
            checkVersion(in.readByte());
            int key = in.readInt();
            String text = readString(in);
            String ts = readString(in);
            return new Line(key, text, ts.isEmpty() ? null : ts, readString(in), in.readInt(), in.readLong(),
                    in.readLong());
        }
    }

    /**
     * The head of an open session.
     *
     * @param lines           lines so far
     * @param firstSeenMillis wall-clock time its first line reached the detector
     * @param lastSeenMillis  wall-clock time its last line did
     * @param lastTime        the host's time when its last line came (see {@link HostClocks})
     */
    public record Head(String host, String sessionId, int lines, long firstSeenMillis, long lastSeenMillis,
                       long lastTime) {

        public Head next(long nowMillis, long time) {
            return new Head(host, sessionId, lines + 1, firstSeenMillis, nowMillis, Math.max(lastTime, time));
        }

        /** Chunks its lines take. */
        public int chunks() {
            return (lines + CHUNK_LINES - 1) / CHUNK_LINES;
        }

        public byte[] toBytes() {
            byte[] h = host.getBytes(StandardCharsets.UTF_8);
            byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + h.length + 4 + id.length + 4 + 8 + 8 + 8);
            b.put(FORMAT_VERSION).putInt(h.length).put(h).putInt(id.length).put(id).putInt(lines)
                    .putLong(firstSeenMillis).putLong(lastSeenMillis).putLong(lastTime);
            return b.array();
        }

        public static Head fromBytes(byte[] data) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                checkVersion(in.readByte());
                return new Head(readString(in), readString(in), in.readInt(), in.readLong(), in.readLong(),
                        in.readLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The store key of a session's head. */
    public static String headKey(String host, String sessionId) {
        String name = host + "/" + sessionId;
        int h = name.hashCode();
        // the finaliser of MurmurHash3: ids that differ in their last digit get unrelated leading digits
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        char[] key = new char[8 + name.length()];
        for (int i = 0; i < 8; i++) {
            key[i] = HEX[(h >>> (28 - 4 * i)) & 0xF];
        }
        name.getChars(0, name.length(), key, 8);
        return new String(key);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The store key of one chunk of a session's lines. */
    public static String chunkKey(String headKey, int chunk) {
        return headKey + CHUNK_SEPARATOR + chunk;
    }

    /** Whether a store key is a chunk key (else a head key). */
    public static boolean isChunkKey(String key) {
        return key.indexOf(CHUNK_SEPARATOR) >= 0;
    }

    /** The head key a chunk key belongs to. */
    public static String headOf(String chunkKey) {
        return chunkKey.substring(0, chunkKey.indexOf(CHUNK_SEPARATOR));
    }

    /** The chunk number of a chunk key. */
    public static int chunkOf(String chunkKey) {
        return Integer.parseInt(chunkKey.substring(chunkKey.indexOf(CHUNK_SEPARATOR) + 1));
    }

    /** Writes the session's changing counts of {@code head} into the first {@link #CHUNK_HEAD} bytes of a chunk. */
    public static void writeChunkHead(Head head, byte[] chunk) {
        ByteBuffer.wrap(chunk, 0, CHUNK_HEAD).put(FORMAT_VERSION).putInt(head.lines()).putLong(head.lastSeenMillis())
                .putLong(head.lastTime());
    }

    /** The head as of its session's last chunk: the counts and times that chunk's first bytes hold. */
    public static Head current(Head head, byte[] lastChunk) {
        ByteBuffer b = ByteBuffer.wrap(lastChunk, 0, CHUNK_HEAD);
        checkVersion(b.get());
        return new Head(head.host(), head.sessionId(), b.getInt(), head.firstSeenMillis(), b.getLong(), b.getLong());
    }

    /**
     * The lines of a chunk: after its {@link #CHUNK_HEAD} bytes, encoded lines one after the other (up to byte
     * {@code length} of {@code chunk}).
     */
    public static List<Line> decodeChunk(byte[] chunk, int length) {
        List<Line> lines = new ArrayList<>();
        if (length < CHUNK_HEAD) {
            throw new IllegalStateException("a stored chunk of " + length + " bytes is shorter than its head");
        }
        checkVersion(chunk[0]);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk, CHUNK_HEAD,
                length - CHUNK_HEAD))) {
            while (in.available() > 0) {
                lines.add(Line.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static void checkVersion(byte version) {
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("open session stored in format " + version + "; this anomalog reads "
                    + FORMAT_VERSION + ": reset the stream application (use a new --application-id)");
        }
    }

    private static final byte[] EMPTY = new byte[0];

    // strings are a 4-byte length and UTF-8 bytes (not writeUTF, which is limited to 64 KB: stack traces are longer)
    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
