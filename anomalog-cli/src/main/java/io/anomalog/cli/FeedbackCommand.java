package io.anomalog.cli;

import io.anomalog.core.io.Json;
import io.anomalog.stream.feedback.AnomalyHistory;
import io.anomalog.stream.feedback.FeedbackDesk;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.feedback.FeedbackWriter;
import io.anomalog.stream.feedback.HistoryReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code anomalog feedback}: a person's verdict on one anomaly, written to {@code anomalog.feedback} after it is
 * checked against the anomalies on the cluster; or the verdicts given so far.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {"Marks an anomaly as a false positive (the model learns the session as normal) or as confirmed "
                + "(no update may turn it normal), or lists the verdicts given.",
                "  anomalog feedback --anomaly a1b2c3d4e5f60718 --verdict false-positive --note 'nightly backup'",
                "  anomalog feedback --list"})
final class FeedbackCommand implements Callable<Integer> {

    static final class Give {
        @Option(names = "--anomaly", required = true, paramLabel = "ID",
                description = "The anomaly's id (its 'id' field on the anomalies topic and in the console).")
        String anomaly;

        @Option(names = "--verdict", required = true, paramLabel = "VERDICT",
                description = "false-positive or confirmed.")
        String verdict;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why (kept with the verdict).")
        String note;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @ArgGroup(exclusive = false)
        Give give;

        @Option(names = "--list", description = "Print every verdict given so far as JSON lines and stop.")
        boolean list;
    }

    @Option(names = "--who", paramLabel = "NAME", description = "Who gives the verdict (default: the user name).")
    String who = System.getProperty("user.name");

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait for the cluster (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        var connection = kafka.connection();
        AnomalyHistory history = new AnomalyHistory();
        try (HistoryReader reader = new HistoryReader(connection, history)) {
            reader.catchUp(timeout);
            if (reader.unreadable() > 0) {
                System.err.printf("feedback: %,d records on the topics could not be read and were skipped%n",
                        reader.unreadable());
            }
        }
        if (choice.list) {
            for (FeedbackRecord f : history.feedback()) {
                System.out.println(Json.MAPPER.writeValueAsString(f));
            }
            System.err.printf("feedback: %,d verdicts on %,d anomalies%n", history.feedbackCount(), history.size());
            return 0;
        }
        try (FeedbackWriter writer = new FeedbackWriter(connection, kafka.replicationFactor)) {
            FeedbackRecord r = new FeedbackDesk(history, writer).submit(choice.give.anomaly, choice.give.verdict,
                    choice.give.note, who);
            System.out.printf("anomaly %s (host %s, session %s, %s) marked %s by %s%n", r.anomalyId(), r.host(),
                    r.sessionId(), r.modelVersion(), r.verdict(), r.who());
        }
        return 0;
    }
}
