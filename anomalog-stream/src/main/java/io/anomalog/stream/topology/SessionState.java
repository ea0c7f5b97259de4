package io.anomalog.stream.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An open session in the detector's state store: its host and id, its log lines so far (with their log keys
 * and where each came from), and the wall-clock times of its first and last line. Stored in a compact binary
 * form with a format version, since it is rewritten on every line.
 */
public final class SessionState {

    private static final byte FORMAT_VERSION = 1;

    /** One line of a session. */
    public record Line(int key, String text, String timestamp, String topic, int partition, long offset, long fileOffset) {
    }

    private final String host;
    private final String sessionId;
    private final long firstSeenMillis;
    private long lastSeenMillis;
    private final List<Line> lines;

    public SessionState(String host, String sessionId, long firstSeenMillis) {
        this(host, sessionId, firstSeenMillis, firstSeenMillis, new ArrayList<>());
    }

    private SessionState(String host, String sessionId, long firstSeen, long lastSeen, List<Line> lines) {
        this.host = host;
        this.sessionId = sessionId;
        this.firstSeenMillis = firstSeen;
        this.lastSeenMillis = lastSeen;
        this.lines = lines;
    }

    public void add(Line line, long nowMillis) {
        lines.add(line);
        lastSeenMillis = nowMillis;
    }

    public String host() {
        return host;
    }

    public String sessionId() {
        return sessionId;
    }

    public long firstSeenMillis() {
        return firstSeenMillis;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
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

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + lines.size() * 160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(host);
            out.writeUTF(sessionId);
            out.writeLong(firstSeenMillis);
            out.writeLong(lastSeenMillis);
            out.writeInt(lines.size());
            for (Line l : lines) {
                out.writeInt(l.key());
                writeLong(out, l.text());
                out.writeUTF(l.timestamp() == null ? "" : l.timestamp());
                out.writeUTF(l.topic());
                out.writeInt(l.partition());
                out.writeLong(l.offset());
                out.writeLong(l.fileOffset());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SessionState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalStateException("open session stored in format " + version + "; this anomalog reads "
                        + FORMAT_VERSION + ": reset the stream application (new --application-id)");
            }
            String host = in.readUTF();
            String id = in.readUTF();
            long first = in.readLong();
            long last = in.readLong();
            int n = in.readInt();
            List<Line> lines = new ArrayList<>(n + 4);
            for (int i = 0; i < n; i++) {
                int key = in.readInt();
                String text = readLong(in);
                String ts = in.readUTF();
                lines.add(new Line(key, text, ts.isEmpty() ? null : ts, in.readUTF(), in.readInt(), in.readLong(),
                        in.readLong()));
            }
            return new SessionState(host, id, first, last, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // writeUTF is limited to 64 KB; log entries (stack traces) can be longer.
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
