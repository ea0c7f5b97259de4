package io.anomalog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code anomalog bench ...}: accuracy and speed benchmarks on the public datasets. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: parser accuracy and speed, detectors under named protocols.",
        subcommands = {
                BenchParseCommand.class,
                BenchParseSpeedCommand.class,
                BenchDetectCommand.class,
                BenchDeepLogCommand.class,
                BenchDeepLogSpeedCommand.class,
                BenchDeepLogParametersCommand.class,
                BenchDeepLogHadoopCommand.class,
                BenchWorkflowsCommand.class,
                BenchStreamCommand.class,
                BenchConsoleCommand.class,
                BenchSessionAppendCommand.class,
                BenchAttGruCommand.class,
                BenchServicesCommand.class,
                BenchOnlineCommand.class,
                BenchFailoverCommand.class,
        })
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
