package io.anomalog.cli;

import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import picocli.CommandLine.Command;

/** Lists the detection methods on the class path. */
@Command(name = "methods", mixinStandardHelpOptions = true, description = "Lists the detection methods.")
final class MethodsCommand implements Runnable {

    @Override
    public void run() {
        for (DetectorProvider p : Detectors.all().values()) {
            System.out.printf("%-18s %-12s %s%n", p.method(), p.supervised() ? "supervised" : "unsupervised",
                    p.description());
        }
    }
}
