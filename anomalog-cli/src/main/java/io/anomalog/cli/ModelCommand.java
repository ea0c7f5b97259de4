package io.anomalog.cli;

import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code anomalog model}: the versions of a model directory (v1 as trained, then one per update) and which one is
 * active. A running stream follows the active version within a second.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Lists a model's versions, makes one active, or goes back to the one active before.",
                "  anomalog model list -m model/",
                "  anomalog model activate v3 -m model/",
                "  anomalog model rollback -m model/"},
        subcommands = {ModelCommand.ListVersions.class, ModelCommand.Activate.class, ModelCommand.Rollback.class})
final class ModelCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static ModelRegistry registry(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AnomalogException("model directory " + dir + " does not exist");
        }
        if (!Files.exists(dir.resolve(ModelManifest.FILE_NAME)) && !Files.exists(dir.resolve(ModelRegistry.FILE))) {
            throw new AnomalogException(dir + " holds no model (no " + ModelManifest.FILE_NAME + "); train one with "
                    + "anomalog train");
        }
        return ModelRegistry.of(dir);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the versions, the active one marked *.")
    static final class ListVersions implements Callable<Integer> {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory.")
        Path model;

        @Override
        public Integer call() {
            ModelRegistry r = registry(model);
            String active = r.active();
            System.out.printf("%-2s %-8s %-8s %-24s %-10s %9s  %s%n", "", "version", "parent", "created", "method",
                    "feedback", "note");
            for (ModelRegistry.Version v : r.versions()) {
                System.out.printf("%-2s %-8s %-8s %-24s %-10s %9d  %s%n", v.name().equals(active) ? "*" : "",
                        v.name(), v.parent() == null ? "-" : v.parent(), v.createdAt() == null ? "-" : v.createdAt(),
                        v.method(), v.feedback().size(), v.note() == null ? "" : v.note());
            }
            for (ModelRegistry.Change c : r.state().changes()) {
                System.out.printf("   %s %s %s%s%s%n", c.at(), c.action(), c.version(),
                        c.previous() == null ? "" : " (was " + c.previous() + ")", c.by() == null ? "" : " by " + c.by());
            }
            return 0;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = "Makes a version active (a version held back by an update, or an earlier one).")
    static final class Activate implements Callable<Integer> {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory.")
        Path model;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The version, e.g. v3.")
        String version;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry(model);
            String was = r.active();
            r.activate(version, System.getProperty("user.name"));
            System.out.println("active: " + version + " (was " + was + ")");
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Makes the version active before the current one active again.")
    static final class Rollback implements Callable<Integer> {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory.")
        Path model;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry(model);
            String was = r.active();
            ModelRegistry.Version v = r.rollback(System.getProperty("user.name"));
            System.out.println("active: " + v.name() + " (was " + was + ")");
            return 0;
        }
    }
}
