package io.anomalog.core.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionTest {

    @Test
    void theCommitIsReadFromALooseRefAPackedRefOrAWorktree(@TempDir Path dir) throws Exception {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git/refs/heads"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(repo.resolve(".git/refs/heads/main"), sha + "\n");
        assertEquals(sha, Version.readCommit(repo));

        Files.delete(repo.resolve(".git/refs/heads/main"));
        Files.writeString(repo.resolve(".git/packed-refs"), "# pack-refs\n" + sha + " refs/heads/main\n");
        assertEquals(sha, Version.readCommit(repo));

        Path wt = dir.resolve("wt");
        Path wtGit = repo.resolve(".git/worktrees/wt");
        Files.createDirectories(wtGit);
        Files.writeString(wt.resolve(".git").toAbsolutePath().getParent().toFile().mkdirs() ? wt.resolve(".git")
                : wt.resolve(".git"), "gitdir: " + wtGit + "\n");
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        assertEquals(sha, Version.readCommit(wt));

        assertEquals("unknown", Version.readCommit(dir.resolve("nowhere")));
    }
}
