package io.anomalog.cli;

import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code anomalog} command: one subcommand per pipeline job. The subcommands are added when the command line is
 * run ({@link #execute}), only the one named when the first argument names one: picocli builds the model of every
 * command it is given (their options, mixins and help, by reflection), which for all of them costs a quarter of a
 * CPU second at every start, while a run only needs its own.
 */
@Command(name = "anomalog", mixinStandardHelpOptions = true, versionProvider = AnomalogCli.VersionInfo.class,
        description = "Finds anomalies in the logs of distributed systems.")
public final class AnomalogCli implements Runnable {

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            TrainCommand.class,
            DetectCommand.class,
            EvaluateCommand.class,
            MethodsCommand.class,
            BenchCommand.class,
            ParseCommand.class,
            ShipCommand.class,
            WatchCommand.class,
            StreamCommand.class,
            SimulateCommand.class,
            DemoCommand.class,
            BrokerCommand.class,
            FeedbackCommand.class,
            ModelCommand.class,
            WorkflowCommand.class);

    /** Exit code for input the user must fix (missing file, unknown format, corrupt model). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an unexpected internal failure. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Tribuo reports every training run through java.util.logging at INFO; the commands print their own summary. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (used by tests too). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new AnomalogCli());
        // before the settings below, which apply to the subcommands present when they are made
        for (Class<?> c : subcommandsFor(args)) {
            cl.addSubcommand(c);
        }
        // durations as people type them (60s, 5m, PT5M) for every option of type Duration
        cl.registerConverter(java.time.Duration.class, text -> {
            try {
                return io.anomalog.core.util.Durations.parse(text, "duration");
            } catch (AnomalogException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; write it as 60s, 5m, "
                        + "1h30m, 500ms or ISO-8601 (PT5M)");
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            if (t instanceof UncheckedIOException u && u.getCause() != null) {
                t = u.getCause();
            }
            if (t instanceof AnomalogException) {
                commandLine.getErr().println("anomalog: error: " + t.getMessage());
                return EXIT_USAGE;
            }
            if (t instanceof java.io.IOException io) {
                commandLine.getErr().println("anomalog: I/O error: " + describe(io));
                return EXIT_USAGE;
            }
            commandLine.getErr().println("anomalog: internal error: " + t);
            t.printStackTrace(commandLine.getErr());
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            ex.getCommandLine().getErr().println("anomalog: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    /**
     * The subcommands a command line needs: the one its first argument names, or all of them for anything else (no
     * argument, an option such as --help, {@code help}, which may describe any of them, or an unknown name, which
     * picocli answers with the names it knows).
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class && (command.name().equals(args[0])
                        || Arrays.asList(command.aliases()).contains(args[0]))) {
                    return List.of(c);
                }
            }
        }
        return SUBCOMMANDS;
    }

    /** An I/O error in words: what went wrong with which file, where the exception only names the file. */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String file = f.getFile();
            String what = f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : f instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                    : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            return (file == null ? "" : file + ": ") + what
                    + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"anomalog " + Version.current(), "Java " + System.getProperty("java.version")};
        }
    }
}
