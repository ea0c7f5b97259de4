package io.anomalog.cli;

import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulationWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code anomalog simulate}: writes realistic logs of simulated multi-host systems. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Writes realistic raw logs of a simulated multi-host system, with labels.",
        subcommands = {SimulateCommand.Hdfs.class})
final class SimulateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code anomalog simulate hdfs}. */
    @Command(name = "hdfs", mixinStandardHelpOptions = true,
            description = "HDFS datanode logs: real session key sequences (bundled data/hdfs) rendered as HDFS_v1 "
                    + "lines with fresh block ids, IPs, sizes and times; writes DIR/<host>/hdfs.log and DIR/labels.csv.")
    static final class Hdfs implements Callable<Integer> {

        @Option(names = "--hosts", defaultValue = "3", description = "Hosts hadoop1..N (default: ${DEFAULT-VALUE}).")
        int hosts;

        @Option(names = "--sessions", defaultValue = "1000", description = "Sessions (blocks) over all hosts (default: ${DEFAULT-VALUE}).")
        long sessions;

        @Option(names = "--anomaly-rate", defaultValue = "0.03", description = "Share of anomalous sessions (default: ${DEFAULT-VALUE}).")
        double anomalyRate;

        @Option(names = "--concurrent", defaultValue = "8", description = "Sessions each host interleaves (default: ${DEFAULT-VALUE}).")
        int concurrent;

        @Option(names = "--delay-rate", defaultValue = "0", description = "Share of sessions with a slow datanode: "
                + "one gap 10-60 s longer, keys unchanged (default: ${DEFAULT-VALUE}).")
        double delayRate;

        @Option(names = "--size-rate", defaultValue = "0", description = "Share of sessions whose block reports a "
                + "size of 3-10 times the 64 MB block size (default: ${DEFAULT-VALUE}).")
        double sizeRate;

        @Option(names = "--stretch-rate", defaultValue = "0", description = "Share of sessions with a stretched "
                + "pipeline: every gap 3-9 s instead of 0-2 s (default: ${DEFAULT-VALUE}). Any performance rate "
                + "above 0 gives every session service times and writes DIR/anomalies.csv (host,session,kind).")
        double stretchRate;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Override
        public Integer call() throws Exception {
            HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(hosts).sessions(sessions)
                    .anomalyRate(anomalyRate).concurrentSessions(concurrent).seed(seed)
                    .performanceAnomalies(delayRate, sizeRate, stretchRate).build();
            SimulationWriter.Summary s = SimulationWriter.write(sim, out);
            System.err.printf("wrote %,d lines of %,d sessions (%,d anomalous) for %d hosts to %s; labels in %s%n",
                    s.lines(), s.sessions(), s.anomalous(), s.hosts(), out, s.labels());
            return 0;
        }
    }
}
