package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line is built with only the subcommand a run names, and behaves as if it had them all. */
class AnomalogCliTest {

    @Test
    void aRunThatNamesASubcommandGetsOnlyThatOneAnythingElseGetsThemAll() {
        assertEquals(List.of(ParseCommand.class), AnomalogCli.subcommandsFor("parse", "--format", "hdfs"));
        assertEquals(List.of(BenchCommand.class), AnomalogCli.subcommandsFor("bench", "parse-speed"));
        for (String[] args : new String[][]{{}, {"--help"}, {"-V"}, {"help", "parse"}, {"pars"}}) {
            assertEquals(AnomalogCli.SUBCOMMANDS, AnomalogCli.subcommandsFor(args), String.join(" ", args));
        }
    }

    @Test
    void aSubcommandsHelpIsTheSameWhetherItIsBuiltAloneOrWithAllTheOthers() {
        CliRun alone = CliRun.of("parse", "--help");
        CliRun withAll = CliRun.of("help", "parse");
        assertEquals(0, alone.code());
        assertEquals(withAll.out(), alone.out());
        assertEquals(CliRun.of("help", "bench").out(), CliRun.of("bench", "--help").out());
    }

    @Test
    void theTopLevelHelpStillListsEverySubcommandAndAnUnknownOneIsAnError() {
        String help = CliRun.of("--help").out();
        for (Class<?> c : AnomalogCli.SUBCOMMANDS) {
            String name = c.getAnnotation(CommandLine.Command.class).name();
            assertTrue(help.contains("  " + name + " "), name + " in\n" + help);
        }
        CliRun unknown = CliRun.of("pars");
        assertEquals(AnomalogCli.EXIT_USAGE, unknown.code());
        assertTrue(unknown.err().contains("'pars'"), unknown.err());
    }

    @Test
    void everyCommandWithAnOutOptionAlsoTakesItAsDashO() {
        CommandLine cl = new CommandLine(new AnomalogCli());
        for (Class<?> c : AnomalogCli.SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        List<String> checked = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(cl.getSubcommands().values());
        while (!todo.isEmpty()) {
            CommandLine sub = todo.pop();
            todo.addAll(sub.getSubcommands().values());
            CommandLine.Model.OptionSpec out = sub.getCommandSpec().findOption("--out");
            if (out != null) {
                checked.add(sub.getCommandSpec().qualifiedName());
                assertTrue(List.of(out.names()).contains("-o"), sub.getCommandSpec().qualifiedName()
                        + " has --out without -o: " + List.of(out.names()));
            }
        }
        assertTrue(checked.contains("anomalog bench stream"), "bench stream checked: " + checked);
        assertTrue(checked.contains("anomalog simulate hdfs"), "simulate hdfs checked: " + checked);
    }
}
