package io.anomalog.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * The token every request that changes something must carry ({@code Authorization: Bearer TOKEN}). Made at the
 * first start from 32 random bytes and kept in a file only its owner can read; a token given on the command line is
 * used as it is and not stored.
 *
 * @param value   the token
 * @param created whether it was made just now (then the caller prints it, once)
 * @param file    where it is kept, or null for a given one
 */
public record ApiToken(String value, boolean created, Path file) {

    public static final int FORMAT_VERSION = 1;
    /** Shortest token accepted from the command line. */
    public static final int MIN_GIVEN_CHARS = 16;

    /** What the token file holds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(int formatVersion, String token, String createdAt) {
    }

    /** A token given by the user. */
    public static ApiToken given(String token) {
        String t = token == null ? "" : token.trim();
        if (t.length() < MIN_GIVEN_CHARS || !t.matches("[A-Za-z0-9._~+/=-]+")) {
            throw new AnomalogException("--http-token: a token has at least " + MIN_GIVEN_CHARS
                    + " characters of letters, digits and ._~+/=-");
        }
        return new ApiToken(t, false, null);
    }

    /** The token kept in {@code file}, made and stored there (owner-only, atomically) when the file is absent. */
    public static ApiToken loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            State s;
            try {
                s = Json.MAPPER.readValue(file.toFile(), State.class);
            } catch (IOException e) {
                throw new AnomalogException("corrupt console token file " + file + ": delete it to make a new token");
            }
            if (s == null || s.formatVersion() < 1 || s.formatVersion() > FORMAT_VERSION || s.token() == null
                    || s.token().length() < MIN_GIVEN_CHARS) {
                throw new AnomalogException("console token file " + file + " is not one this anomalog reads (format "
                        + FORMAT_VERSION + "): delete it to make a new token");
            }
            return new ApiToken(s.token(), false, file);
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        byte[] body = Json.MAPPER.writeValueAsBytes(new State(FORMAT_VERSION, token, Instant.now().toString()));
        writeOwnerOnly(file, body);
        return new ApiToken(token, true, file);
    }

    /** Whether a request's token is this one (in constant time). */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Temporary file created owner-only, forced to disk, renamed over the target. */
    static void writeOwnerOnly(Path target, byte[] body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        Path tmp = posix ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(rw)) : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(body));
                ch.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, rw);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
