package io.anomalog.cli;

import io.anomalog.server.ApiToken;
import io.anomalog.server.HttpAddress;
import io.anomalog.server.LiveConsole;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.demo.Demo;
import io.anomalog.stream.metrics.StreamMetrics;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Options of the web console (shared by stream, watch and demo). */
final class HttpOptions implements AutoCloseable {

    @Option(names = "--http", defaultValue = HttpAddress.DEFAULT, paramLabel = "ADDRESS:PORT",
            description = "Where the web console and its API listen; 'off' for none; 0.0.0.0:PORT lets other machines "
                    + "in (default: ${DEFAULT-VALUE}, this machine only).")
    String http;

    @Option(names = "--http-token", paramLabel = "TOKEN",
            description = "The token requests that change something must carry (verdicts, model activation); default: "
                    + "one made at the first start, printed once and kept owner-only in the token file.")
    String token;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "Where the made token is kept (default: ~/.anomalog/console-token.json; for watch, in its "
                    + "--data folder; for demo, in its work folder).")
    Path tokenFile;

    private LiveConsole console;

    /** The address, checked (a bad one is reported before anything starts). */
    HttpAddress address() {
        return HttpAddress.parse(http);
    }

    ApiToken apiToken(Path defaultFile) throws IOException {
        return LiveConsole.token(token, tokenFile != null ? tokenFile : defaultFile);
    }

    /** Starts the console of a detector, unless it is off. */
    void start(KafkaConnection kafka, int replicationFactor, StreamMetrics metrics, Path modelDir, String group,
               Path defaultTokenFile) throws IOException {
        HttpAddress a = address();
        if (!a.off()) {
            console = LiveConsole.start(kafka, replicationFactor, metrics, modelDir, group, a, apiToken(defaultTokenFile),
                    said -> System.err.println("anomalog: " + said));
        }
    }

    /** The demo's console starter, or null when it is off. */
    Demo.ConsoleStarter demoStarter() throws IOException {
        HttpAddress a = address();
        if (a.off()) {
            return null;
        }
        if (token != null) {
            ApiToken.given(token); // checked before anything starts
        }
        return LiveConsole.forDemo(a, token, tokenFile, said -> {
            if (!said.startsWith("console at ")) { // the demo prints its address itself
                System.out.println("console: " + said);
            }
        });
    }

    @Override
    public void close() {
        if (console != null) {
            console.close();
            console = null;
        }
    }
}
