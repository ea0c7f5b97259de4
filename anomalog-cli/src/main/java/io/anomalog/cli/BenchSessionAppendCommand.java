package io.anomalog.cli;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.stream.bench.SessionAppendBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog bench session-append}: the cost of appending a line to an open session, by session length. */
@Command(name = "session-append", mixinStandardHelpOptions = true,
        description = "Times the detector's sessions stage appending lines to sessions of 10 to 10,000 lines, and "
                + "measures its state under a flood of distinct session ids; writes docs/results/session-append.md.")
final class BenchSessionAppendCommand implements Callable<Integer> {

    @Option(names = "--lines", defaultValue = "200000", description = "Lines appended per session length (default: ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = "--repeat", defaultValue = "3", description = "Measured passes per length; the best counts (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = {"-o", "--out"}, defaultValue = "docs/results/session-append.md",
            description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<SessionAppendBenchmark.Row> rows = SessionAppendBenchmark.run(new int[]{10, 100, 1_000, 10_000}, lines,
                repeat);
        StringBuilder cmd = new StringBuilder("anomalog bench session-append");
        if (lines != 200000) {
            cmd.append(" --lines ").append(lines);
        }
        if (repeat != 3) {
            cmd.append(" --repeat ").append(repeat);
        }
        List<SessionAppendBenchmark.Flood> floods = SessionAppendBenchmark.flood(new long[]{100_000, 1_000_000},
                io.anomalog.stream.topology.DetectorTopology.DEFAULT_MAX_OPEN_SESSIONS);
        String md = SessionAppendBenchmark.markdown(rows, floods, cmd.toString());
        Path report = out.isAbsolute() ? out : Path.of(System.getProperty("anomalog.repo", ".")).resolve(out);
        AtomicFiles.write(report, md.getBytes(StandardCharsets.UTF_8));
        System.out.print(md);
        return 0;
    }
}
