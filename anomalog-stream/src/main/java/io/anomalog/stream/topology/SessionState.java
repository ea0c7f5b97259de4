package io.anomalog.stream.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An open session as the detector keeps it: a small head (host, id, line count, wall-clock times of the first and
 * last line) and its lines. The state store holds one value per session, the head followed by the encoded lines
 * ({@link #encode}); with the store's record cache, the many updates of a session within one commit interval
 * become a single changelog write. Everything is kept in a compact binary form with a format version.
 */
public final class SessionState {

    private static final byte FORMAT_VERSION = 2;

    /** One line of a session: its log key, text, header timestamp and where it came from. */
    public record Line(int key, String text, String timestamp, String topic, int partition, long offset, long fileOffset) {

        public byte[] toBytes() {
            // Written for every line the detector reads, so straight into one buffer of the exact size.
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            byte[] ts = timestamp == null ? EMPTY : timestamp.getBytes(StandardCharsets.UTF_8);
            byte[] tp = topic.getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + 4 + t.length + 4 + ts.length + 4 + tp.length
                    + 4 + 8 + 8);
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

    /** The head of an open session. */
    public record Head(String host, String sessionId, int lines, long firstSeenMillis, long lastSeenMillis) {

        public Head next(long nowMillis) {
            return new Head(host, sessionId, lines + 1, firstSeenMillis, nowMillis);
        }

        public byte[] toBytes() {
            // Written for every line of a session (it leads the store value), so without stream wrappers.
            byte[] h = host.getBytes(StandardCharsets.UTF_8);
            byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + h.length + 4 + id.length + 4 + 8 + 8);
            b.put(FORMAT_VERSION).putInt(h.length).put(h).putInt(id.length).put(id).putInt(lines)
                    .putLong(firstSeenMillis).putLong(lastSeenMillis);
            return b.array();
        }

        public static Head fromBytes(byte[] data) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                checkVersion(in.readByte());
                return new Head(readString(in), readString(in), in.readInt(), in.readLong(), in.readLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One store value: the head, then the lines already encoded with {@link Line#toBytes()} (the first
     * {@code length} bytes of {@code lines}), so appending a line never decodes the earlier ones.
     */
    public static byte[] encode(Head head, byte[] lines, int length) {
        byte[] h = head.toBytes();
        byte[] out = new byte[4 + h.length + length];
        out[0] = (byte) (h.length >>> 24);
        out[1] = (byte) (h.length >>> 16);
        out[2] = (byte) (h.length >>> 8);
        out[3] = (byte) h.length;
        System.arraycopy(h, 0, out, 4, h.length);
        System.arraycopy(lines, 0, out, 4 + h.length, length);
        return out;
    }

    /** Reads a value written by {@link #encode}. */
    public static SessionState decode(byte[] value) {
        int hl = ((value[0] & 0xff) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
        Head head = Head.fromBytes(java.util.Arrays.copyOfRange(value, 4, 4 + hl));
        List<Line> lines = new ArrayList<>(head.lines());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 4 + hl, value.length - 4 - hl))) {
            while (in.available() > 0) {
                lines.add(Line.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SessionState(head, lines);
    }

    /** The encoded lines of a decoded state, to go on appending after a restart. */
    public byte[] encodedLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 128);
        for (Line l : lines) {
            out.writeBytes(l.toBytes());
        }
        return out.toByteArray();
    }

    private final Head head;
    private final List<Line> lines;

    public SessionState(Head head, List<Line> lines) {
        this.head = head;
        this.lines = new ArrayList<>(lines);
    }

    public Head head() {
        return head;
    }

    public String host() {
        return head.host();
    }

    public String sessionId() {
        return head.sessionId();
    }

    public long firstSeenMillis() {
        return head.firstSeenMillis();
    }

    public List<Line> lines() {
        return lines;
    }

    public int[] keys() {
        int[] k = new int[lines.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = lines.get(i).key();
        }
        return k;
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
