package io.anomalog.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DirectFileOutputTest {

    @TempDir
    Path dir;

    /** Sizes around the block and buffer boundaries, where padding and the hand-over between buffers happen. */
    private static final int[] SIZES = {0, 1, 4095, 4096, 4097, DirectFileOutput.BUFFER_BYTES - 1,
            DirectFileOutput.BUFFER_BYTES, DirectFileOutput.BUFFER_BYTES + 1, 3 * DirectFileOutput.BUFFER_BYTES + 12_345};

    @Test
    void aFileWrittenPastTheCacheHoldsExactlyTheBytesWrittenWhateverItsLength() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            for (int size : SIZES) {
                byte[] expected = new byte[size];
                new Random(size).nextBytes(expected);
                Path f = Files.createFile(dir.resolve("out-" + direct + "-" + size));
                Random pieces = new Random(7);
                try (DirectFileOutput out = DirectFileOutput.open(f, direct)) {
                    int at = 0;
                    while (at < size) {
                        if (pieces.nextInt(10) == 0) {
                            out.write(expected[at++]);      // single bytes between bulk writes
                            continue;
                        }
                        int n = Math.min(size - at, 1 + pieces.nextInt(300_000));
                        out.write(expected, at, n);
                        at += n;
                    }
                }
                assertEquals(size, Files.size(f), "length with direct=" + direct);
                assertArrayEquals(expected, Files.readAllBytes(f), "bytes with direct=" + direct + ", size " + size);
            }
        }
    }

    @Test
    void closingTwiceWritesTheTailOnce() throws Exception {
        Path f = Files.createFile(dir.resolve("twice"));
        DirectFileOutput out = DirectFileOutput.open(f, true);
        out.write(new byte[] {1, 2, 3});
        out.close();
        out.close();
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    }

    @Test
    void aDiskFullOnTheWriterThreadReachesTheCaller() throws Exception {
        Path full = Path.of("/dev/full");             // every write to it fails with "no space left on device"
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        DirectFileOutput out = DirectFileOutput.open(full, true);
        byte[] buffer = new byte[DirectFileOutput.BUFFER_BYTES];
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> {
            try (out) {
                for (int i = 0; i < 3; i++) {
                    out.write(buffer);                    // the second hand-over waits for the first, failed, write
                }
            }
        });
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("space"), e.getMessage());
    }
}
