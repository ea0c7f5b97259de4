package io.anomalog.bench.parse;

import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a command as its own process and measures it from start to exit: wall time, and on Linux the CPU time
 * (user + system, all threads) and peak resident memory, read from {@code /proc/PID/stat} and
 * {@code /proc/PID/status} every {@value #SAMPLE_MILLIS} ms while it runs (the last sample before it exits
 * stands for the end, so up to one interval of CPU time is missed). The CPU time of each thread is read from
 * {@code /proc/PID/task/TID} every {@value #THREAD_SAMPLE_MILLIS} ms and added up by the thread's kind
 * ({@link #threadKind}), which tells where a JVM's time went: its own threads, the garbage collector, the JIT
 * compilers.
 */
public final class ProcessMeasure {

    static final int SAMPLE_MILLIS = 20;
    static final int THREAD_SAMPLE_MILLIS = 100;
    /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    /**
     * @param wallSeconds  start to exit
     * @param cpuSeconds   user + system CPU seconds, NaN where {@code /proc} is not readable
     * @param peakRssBytes peak resident set size (VmHWM), -1 where unknown
     * @param exitCode     the exit status
     * @param output       what it printed (standard output and error together)
     * @param cpuByThread  CPU seconds by kind of thread ({@link #threadKind}), most first; empty where unknown
     */
    public record Measurement(double wallSeconds, double cpuSeconds, long peakRssBytes, int exitCode, String output,
                              Map<String, Double> cpuByThread) {
        public Measurement {
            cpuByThread = Map.copyOf(cpuByThread);
        }

        /** The kinds of thread, the one that used most CPU first. */
        public List<Map.Entry<String, Double>> threadsByCpu() {
            return cpuByThread.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .toList();
        }
    }

    private ProcessMeasure() {
    }

    public static Measurement run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("anomalog-measure", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            double cpu = Double.NaN;
            long rss = -1;
            Map<String, ThreadCpu> threads = new HashMap<>();
            long nextThreads = 0;
            while (p.isAlive()) {
                double c = cpuSeconds(proc);
                if (!Double.isNaN(c)) {
                    cpu = c;
                }
                rss = Math.max(rss, peakRss(proc));
                if (System.nanoTime() >= nextThreads) {
                    sampleThreads(proc, threads);
                    nextThreads = System.nanoTime() + THREAD_SAMPLE_MILLIS * 1_000_000L;
                }
                if (p.waitFor(SAMPLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            int code = p.waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            Map<String, Double> byKind = new LinkedHashMap<>();
            for (ThreadCpu t : threads.values()) {
                byKind.merge(threadKind(t.name), t.seconds, Double::sum);
            }
            return new Measurement(wall, cpu, rss, code, Files.readString(log), byKind);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The last CPU time seen of one thread, with its name. */
    private record ThreadCpu(String name, double seconds) {
    }

    /** Reads every live thread's name and CPU time, keeping the last value seen of each (by thread id). */
    private static void sampleThreads(Path proc, Map<String, ThreadCpu> threads) {
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                double c = cpuSeconds(task);
                if (Double.isNaN(c)) {
                    continue;
                }
                try {
                    threads.put(task.getFileName().toString(), new ThreadCpu(Files.readString(task.resolve("comm")).strip(), c));
                } catch (IOException e) {
                    // the thread ended between the two reads: its last sample stands
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended: the last samples stand
        }
    }

    /**
     * What a thread is, from its name as Linux keeps it (the first 15 characters): the JVM's garbage collector and
     * JIT compiler threads by their HotSpot names, anomalog's own by their prefix, any other by its name without a
     * trailing number.
     */
    static String threadKind(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "garbage collector";
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (name.startsWith("anomalog-parse")) {
            return "parse workers (anomalog-parse-N)";
        }
        if (name.startsWith("anomalog-read")) {
            return "reader (anomalog-read)";
        }
        if (name.equals("main") || name.equals("java")) {
            return "main";                  // the java launcher's thread that runs main keeps the name "java"
        }
        String bare = name.replaceAll("[#\\s]*\\d+$", "");
        return bare.isEmpty() ? name : bare;
    }

    /** utime + stime of a live process, or NaN. */
    static double cpuSeconds(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // the command name in parentheses may hold spaces: fields are counted after its closing ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmHWM of a live process in bytes, or -1. */
    static long peakRss(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Whether a Python with the {@code drain3} package is on the PATH. */
    public static boolean drain3Available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import drain3").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnomalogException("interrupted");
        }
    }

    /**
     * A Python script that does what {@code anomalog parse --format hdfs} does with Drain3's defaults: split the HDFS
     * header, mine the content, write a structured CSV with template and parameters. Arguments: input, output.
     */
    public static String drain3Script() {
        return String.join("\n",
                "import csv, re, sys",
                "from drain3 import TemplateMiner",
                "from drain3.template_miner_config import TemplateMinerConfig",
                "config = TemplateMinerConfig()",
                "config.profiling_enabled = False",
                "miner = TemplateMiner(config=config)",
                "header = re.compile(r'^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+?):\\s+(.*)$')",
                "with open(sys.argv[1], encoding='utf-8', errors='replace') as src, \\",
                "        open(sys.argv[2], 'w', newline='', encoding='utf-8') as dst:",
                "    out = csv.writer(dst)",
                "    out.writerow(['LineId', 'Content', 'EventId', 'EventTemplate', 'ParameterList'])",
                "    for n, line in enumerate(src, 1):",
                "        line = line.rstrip('\\r\\n')",
                "        m = header.match(line)",
                "        content = m.group(6) if m else line",
                "        r = miner.add_log_message(content)",
                "        template = r['template_mined']",
                "        params = miner.get_parameter_list(template, content)",
                "        out.writerow([n, content, 'E%d' % r['cluster_id'], template, repr(params)])",
                "print('clusters', len(miner.drain.clusters))",
                "");
    }
}
