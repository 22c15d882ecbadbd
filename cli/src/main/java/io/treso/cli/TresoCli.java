package io.treso.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code treso} command. Exit codes: 0 success, 2 usage error, 1 failure. A failure prints one
 * line; {@code --verbose} adds the stack trace.
 */
@Command(
        name = "treso",
        mixinStandardHelpOptions = true,
        version = "treso 0.1.0",
        description = "Streaming cash-flow engine for e-commerce treasury teams.",
        subcommands = {
            DemoCommand.class,
            SimulateCommand.class,
            ReplayCommand.class,
            RunCommand.class,
            NotifyCommand.class,
            PublishCommand.class,
            IngestCommand.class,
            IntakeCommand.class,
            PositionsCommand.class,
            ReportCommand.class,
            ForecastCommand.class,
            ControlCommands.class,
            DlqCommands.class,
            ReconCommands.class,
            io.treso.cli.bench.BenchCommand.class
        })
public final class TresoCli implements Runnable {
    @Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and progress logs.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // Our quiet log config, not the ones Kafka and Flink ship in their jars.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "treso-log4j2.xml");
        }
        // Our shutdown hook stops Kafka and Flink, which still log while stopping.
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        System.exit(
                execute(
                        args,
                        new PrintWriter(System.out, true),
                        new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; used by tests too. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TresoCli());
        cli.setOut(out);
        cli.setErr(err);
        // A usage error is one line and a pointer to --help, not the whole help text.
        cli.setParameterExceptionHandler(
                (ex, args2) -> {
                    CommandLine cmd = ex.getCommandLine();
                    err.println("treso: " + ex.getMessage());
                    err.println(
                            "Try 'treso "
                                    + cmd.getCommandSpec()
                                            .qualifiedName(" ")
                                            .replaceFirst("^treso ?", "")
                                    + " --help'.");
                    return 2;
                });
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    boolean verbose =
                            parseResult.hasMatchedOption("--verbose")
                                    || parseResult.subcommands().stream()
                                            .anyMatch(p -> p.hasMatchedOption("--verbose"));
                    Throwable root = ex;
                    while (root.getCause() != null
                            && (root.getMessage() == null
                                    || root instanceof java.util.concurrent.ExecutionException)) {
                        root = root.getCause();
                    }
                    err.println(
                            "treso: "
                                    + (root.getMessage() == null
                                            ? root.getClass().getSimpleName()
                                            : root.getMessage()));
                    if (verbose) {
                        ex.printStackTrace(err);
                    }
                    return 1;
                });
        return cli.execute(args);
    }
}
