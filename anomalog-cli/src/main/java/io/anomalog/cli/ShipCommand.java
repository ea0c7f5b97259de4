package io.anomalog.cli;

import io.anomalog.stream.ship.LineFilter;
import io.anomalog.stream.ship.Shipper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code anomalog ship}: tails log files and publishes them to {@code logs.<host>}, like Filebeat. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Tails log files (appends, rotation, truncation, multi-line) and publishes each entry as "
                + "Filebeat-style JSON to the Kafka topic logs.<host>, exactly once.")
final class ShipCommand implements Callable<Integer> {

    @Option(names = "--path", required = true, paramLabel = "GLOB", description = "Files to ship, e.g. '/var/log/hadoop/*.log'.")
    String path;

    @Option(names = "--host", required = true, paramLabel = "NAME", description = "Host name: the topic is logs.NAME.")
    String host;

    @Option(names = "--multiline-start", paramLabel = "REGEX",
            description = "Lines NOT matching this start a continuation of the previous entry (stack traces), e.g. '^\\d{6} '.")
    String multilineStart;

    @Option(names = "--include", paramLabel = "REGEX", description = "Ship only entries matching one of these (repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Drop entries matching one of these (repeatable), like Filebeat's exclude_lines.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--registry", paramLabel = "FILE", description = "Offset registry file (default: anomalog-ship-HOST.registry.json).")
    Path registry;

    @Option(names = "--once", description = "Ship what is there now and exit instead of following the files (the last "
            + "multi-line entry of each file is shipped too: no more of its lines are waited for).")
    boolean once;

    @Option(names = "--max-line-bytes", defaultValue = "262144", paramLabel = "N",
            description = "Entries longer than this are cut, counted and shipped marked log.flags: [truncated] "
                    + "(default: ${DEFAULT-VALUE}; a Kafka record holds at most about 1 MB).")
    int maxLineBytes;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        Shipper.Settings settings = Shipper.builder(kafka.connection(), host).path(path).multilineStart(multilineStart)
                .filter(LineFilter.of(include, exclude)).topic(kafka.partitions, kafka.replicationFactor)
                .maxLineBytes(maxLineBytes);
        if (registry != null) {
            settings.registry(registry);
        }
        CountDownLatch done = new CountDownLatch(1);
        try (Shipper shipper = settings.build()) {
            Thread hook = new Thread(() -> {
                shipper.stop();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            if (!shipper.matchesAnyFile()) {
                if (once) {
                    throw new io.anomalog.core.util.AnomalogException("nothing to ship: no file matches " + path);
                }
                System.err.printf("anomalog: no file matches %s yet; waiting for files to appear%n", path);
            }
            System.err.printf("shipping %s to logs.%s at %s%s%n", path, host, kafka.bootstrapServers,
                    once ? "" : " (Ctrl-C stops)");
            try {
                if (once) {
                    shipper.shipAll(); // the last multi-line entry too: no more lines will come in this run
                } else {
                    shipper.run();
                }
            } finally {
                System.err.printf("shipped %,d entries, filtered %,d, cut at %,d bytes %,d%n", shipper.shipped(),
                        shipper.filtered(), maxLineBytes, shipper.truncated());
                done.countDown();
                if (once) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        }
        return 0;
    }
}
