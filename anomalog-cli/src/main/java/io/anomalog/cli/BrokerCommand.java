package io.anomalog.cli;

import io.anomalog.stream.broker.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code anomalog broker}: a one-node Kafka broker (KRaft) on this machine, its data in a folder that outlives it,
 * for a single machine without a Kafka cluster, and for running the shippers and the detector as processes of
 * their own against it.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs a one-node Kafka broker (KRaft) on 127.0.0.1 with its data in a folder; a restart with "
                + "the same folder and port resumes where it stopped. Ctrl-C stops it.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the broker keeps its data.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dataDir).port(port).build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }));
        System.err.printf("kafka: broker at %s, data in %s; Ctrl-C stops%n", kafka.bootstrapServers(), dataDir);
        stopped.await();
        return 0;
    }
}
