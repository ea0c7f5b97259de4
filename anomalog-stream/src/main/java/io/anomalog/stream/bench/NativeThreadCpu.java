package io.anomalog.stream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the JVM's own native threads (JIT compilers, garbage collector), which no Java API reports: read
 * from {@code /proc/self/task/<tid>/stat} on Linux. Elsewhere {@link #available()} is false.
 */
final class NativeThreadCpu {

    /** Linux reports user and system time in USER_HZ ticks, 100 per second on every common architecture. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path TASKS = Path.of("/proc/self/task");

    enum Kind { JIT, GC }

    private NativeThreadCpu() {
    }

    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /** Ticks of CPU time so far by native thread id, for the compiler and collector threads only. */
    static Map<Long, Sample> sample() {
        Map<Long, Sample> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    Sample s = parse(stat);
                    if (s != null) {
                        out.put(Long.parseLong(t.getFileName().toString()), s);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading: it is not counted
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Seconds each kind of thread used between two samples (threads that ended in between are not counted). */
    static Map<Kind, Double> between(Map<Long, Sample> before, Map<Long, Sample> after) {
        Map<Kind, Double> out = new HashMap<>();
        for (Kind k : Kind.values()) {
            out.put(k, 0.0);
        }
        after.forEach((tid, s) -> {
            Sample b = before.get(tid);
            long ticks = s.ticks - (b != null && b.kind == s.kind ? b.ticks : 0);
            out.merge(s.kind, ticks / TICKS_PER_SECOND, Double::sum);
        });
        return out;
    }

    record Sample(Kind kind, long ticks) {
    }

    /** Reads one stat line: "tid (comm) state ppid ..." with utime and stime the 14th and 15th fields. */
    static Sample parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        Kind kind = kindOf(stat.substring(open + 1, close));
        if (kind == null) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so utime (field 14) is f[11] and stime (field 15) f[12]
        return new Sample(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /** HotSpot's names for its compiler and collector threads (Linux keeps the first 15 characters). */
    static Kind kindOf(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("GC ")
                || name.startsWith("VM Thread")) {
            return Kind.GC;
        }
        return null;
    }
}
