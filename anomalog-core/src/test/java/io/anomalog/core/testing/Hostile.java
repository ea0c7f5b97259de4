package io.anomalog.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generators of hostile input for property tests: each test draws many cases from a seeded {@link Random} and
 * names the seed and case when a property fails, so a failure can be replayed ({@code -Dhostile.seed=N}).
 */
public final class Hostile {

    private final Random rnd;
    private final long seed;

    private Hostile(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
    }

    /** A generator seeded from {@code -Dhostile.seed}, or from the clock: each run explores other cases. */
    public static Hostile seeded() {
        String fixed = System.getProperty("hostile.seed");
        return new Hostile(fixed != null ? Long.parseLong(fixed) : System.nanoTime());
    }

    public long seed() {
        return seed;
    }

    /** Where a failing case came from, for assertion messages. */
    public String replay(int caseNumber) {
        return "case " + caseNumber + " of seed " + seed + " (replay with -Dhostile.seed=" + seed + ")";
    }

    public Random random() {
        return rnd;
    }

    public int between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    public <T> T oneOf(T[] choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    /** Bytes made of pieces: random bytes, broken UTF-8, control characters, long and empty lines, deep JSON. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = between(0, 20);
        for (int i = 0; i < pieces; i++) {
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    byte[] b = new byte[between(0, 2000)];
                    rnd.nextBytes(b);
                    out.writeBytes(b);
                }
                case 1 -> out.writeBytes(oneOf(new byte[][]{{(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82},
                        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xFF, (byte) 0xFE}, {0, 0, 0}}));
                case 2 -> out.writeBytes(oneOf(new String[]{"\r\n", "\n\n\n", "   \t \n", "\n"})
                        .getBytes(StandardCharsets.UTF_8));
                case 3 -> out.writeBytes(("x".repeat(between(0, 3000)) + "\n").getBytes(StandardCharsets.UTF_8));
                case 4 -> {
                    int depth = between(0, 3000);
                    out.writeBytes(("{\"message\":\"m " + rnd.nextInt() + "\",\"a\":" + "[".repeat(depth)
                            + "]".repeat(depth) + ",\"n\":" + "9".repeat(Math.min(depth, 1500)) + "}\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                case 5 -> out.writeBytes((text(200) + "\n").getBytes(StandardCharsets.UTF_8));
                case 6 -> out.writeBytes(("081109 203615 148 INFO dfs.DataNode: " + text(80) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                default -> out.writeBytes(("\u0001\u0002\u0003" + text(20) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Text of any characters (surrogate halves, controls and all) up to a length. */
    public String text(int maxLength) {
        int n = between(0, maxLength);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(10);
            sb.append(kind < 6 ? (char) between(' ', '~') : kind < 8 ? (char) rnd.nextInt(0x10000)
                    : (char) between(0, 31));
        }
        return sb.toString();
    }
}
