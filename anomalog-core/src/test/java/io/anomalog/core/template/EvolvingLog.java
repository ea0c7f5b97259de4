package io.anomalog.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Made-up log messages whose templates keep changing for the whole log, as real logs do when new values of a
 * variable turn up late: word-valued variables appear a few at a time (so the sibling rule merges templates into
 * aliases again and again), values that stayed fixed for a while start to vary (templates generalise), events of
 * other lengths and lists of any length come and go, and words never seen before keep opening new templates (a
 * two-token message names its word in a template of its own).
 */
public final class EvolvingLog {

    private static final String[] EVENTS = {
            "session opened for user %w by %n",
            "session closed for user %w",
            "job %n of queue %w finished in %n ms",
            "worker %w state %w",
            "disk %w usage at %n percent on host %w",
            "copied %n bytes (%n KB) to /data/%w/part-%n",
            "copied %n bytes to /data/%w/part-%n",
            "nodes %l answered",
            "request %h from %i failed with %w",
            "cache %w evicted %n entries",
            "%w service started",
            "restarted %w",
            "connection to %i closed by %w",
            "interface eth%d changed state to %w",
            "rack Node_%d reports %n faults",
    };

    private EvolvingLog() {
    }

    /** {@code n} messages from a seed; the same seed gives the same messages. */
    public static List<String> messages(long seed, int n) {
        Random random = new Random(seed);
        List<String> words = new ArrayList<>(List.of("alpha", "beta"));
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // the vocabulary grows through the whole log, so templates are still learned and merged late
            if (random.nextInt(60) == 0) {
                words.add(word(random));
            }
            String event = EVENTS[random.nextInt(EVENTS.length)];
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < event.length(); k++) {
                char c = event.charAt(k);
                if (c != '%') {
                    sb.append(c);
                    continue;
                }
                char kind = event.charAt(++k);
                switch (kind) {
                    // early on only the first words are used, later any: fixed values start to vary
                    case 'w' -> sb.append(words.get(random.nextInt(Math.min(words.size(), 1 + i / 500))));
                    case 'n' -> sb.append(random.nextInt(100_000));
                    // one digit stays a word, and numbered instances of a thing generalise as new numbers come
                    case 'd' -> sb.append(random.nextInt(Math.min(10, 1 + i / 700)));
                    case 'h' -> sb.append(Long.toHexString(random.nextLong() | 1L << 60));
                    case 'i' -> sb.append("10.0.").append(random.nextInt(256)).append('.').append(random.nextInt(256))
                            .append(':').append(1000 + random.nextInt(9000));
                    case 'l' -> {
                        int count = 1 + random.nextInt(6);
                        for (int j = 0; j < count; j++) {
                            sb.append(j > 0 ? " " : "").append("n").append(10 + random.nextInt(90));
                        }
                    }
                    default -> throw new IllegalStateException("no kind " + kind);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String word(Random random) {
        StringBuilder sb = new StringBuilder();
        int len = 4 + random.nextInt(5);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
