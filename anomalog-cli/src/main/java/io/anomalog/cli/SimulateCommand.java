package io.anomalog.cli;

import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.ServicesSimulator;
import io.anomalog.stream.simulate.ServicesWriter;
import io.anomalog.stream.simulate.SimulationWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code anomalog simulate}: writes realistic logs of simulated multi-host systems. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Writes realistic raw logs of a simulated multi-host system, with labels.",
        subcommands = {SimulateCommand.Hdfs.class, SimulateCommand.Services.class})
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

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
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

    /** {@code anomalog simulate services}. */
    @Command(name = "services", mixinStandardHelpOptions = true,
            description = "JSON logs of a simulated distributed shop (gateways, auth, orders, payments, database on "
                    + "six hosts) with daily and weekly load and labelled anomalies (error spikes, brute-force logins, "
                    + "latency spikes, latency creeps, silent services); writes DIR/<host>/app.jsonl, "
                    + "DIR/entries.csv, DIR/windows.csv, DIR/anomalies.csv and DIR/simulation.properties.")
    static final class Services implements Callable<Integer> {

        @Option(names = "--entries", defaultValue = "1000000", description = "Entries over all hosts (default: ${DEFAULT-VALUE}).")
        long entries;

        @Option(names = "--days", defaultValue = "7", description = "Days the entries span (default: ${DEFAULT-VALUE}).")
        double days;

        @Option(names = "--anomalies-per-day", defaultValue = "8", description = "Anomalies injected per day (default: ${DEFAULT-VALUE}).")
        double anomaliesPerDay;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ServicesSimulator sim = ServicesSimulator.builder().entries(entries).days(days)
                    .anomaliesPerDay(anomaliesPerDay).seed(seed).build();
            ServicesWriter.Summary s = ServicesWriter.write(sim, seed, out);
            System.err.printf("wrote %,d entries (%,d changed by %d anomalies) for %d hosts to %s; %,d one-minute "
                            + "windows, %,d anomalous%n", s.entries(), s.anomalousEntries(), s.anomalies().size(),
                    ServicesSimulator.HOSTS.size(), out, s.windows(), s.anomalousWindows());
            return 0;
        }
    }
}
