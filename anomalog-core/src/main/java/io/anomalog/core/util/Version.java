package io.anomalog.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The anomalog version (from the jar manifest when packaged) and the source commit it was built from. */
public final class Version {

    private static volatile String commit;

    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /**
     * The git commit of the checkout the running build comes from ({@code anomalog.repo}, which the launcher sets,
     * else the working directory), read from the repository files; "unknown" outside a checkout.
     */
    public static String commit() {
        String c = commit;
        if (c == null) {
            c = readCommit(Path.of(System.getProperty("anomalog.repo", ".")));
            commit = c;
        }
        return c;
    }

    static String readCommit(Path repo) {
        try {
            Path git = repo.resolve(".git");
            if (Files.isRegularFile(git)) {      // a worktree: ".git" names the real git folder
                String line = Files.readString(git, StandardCharsets.UTF_8).strip();
                if (!line.startsWith("gitdir:")) {
                    return "unknown";
                }
                git = repo.resolve(line.substring(7).strip());
            }
            if (!Files.isDirectory(git)) {
                return "unknown";
            }
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).strip();
            if (!head.startsWith("ref:")) {
                return head;
            }
            String ref = head.substring(4).strip();
            for (Path dir : new Path[]{git, commonDir(git)}) {
                Path loose = dir.resolve(ref);
                if (Files.isRegularFile(loose)) {
                    return Files.readString(loose, StandardCharsets.UTF_8).strip();
                }
                Path packed = dir.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String l : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                        if (l.endsWith(" " + ref)) {
                            return l.substring(0, l.indexOf(' '));
                        }
                    }
                }
            }
            return "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Path commonDir(Path git) throws IOException {
        Path common = git.resolve("commondir");
        return Files.isRegularFile(common)
                ? git.resolve(Files.readString(common, StandardCharsets.UTF_8).strip()).normalize() : git;
    }
}
