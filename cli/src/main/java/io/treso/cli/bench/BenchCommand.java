package io.treso.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.treso.cli.ProfileOption;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code treso bench}: how close Treso runs to the machine's ceiling, side by side. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Pre-fill an in-JVM Kafka with simulated events, then measure the ceiling (plain consumers),",
            "the position pipeline with RocksDB and with heap state, all pipelines (sustained rate,",
            "commit tail, CPU per store-day), a month's replay (wall, peak RSS), and alert latency.",
            "--readme-table [BEFORE.json] AFTER.json prints the README's table from --json outputs."
        })
public final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--events",
            defaultValue = "600000",
            description = "Simulated events to pre-fill (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "Repeats; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--replay-stores",
            defaultValue = "110",
            description = "Stores in the month the replay phase reads (default: ${DEFAULT-VALUE}).")
    int replayStores;

    @Mixin ProfileOption profile;

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Option(
            names = "--readme-table",
            arity = "1..2",
            paramLabel = "JSON",
            description =
                    "Print the README's before -> after table from two saved --json outputs (one: after only).")
    List<Path> readmeTable;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (readmeTable != null) {
            out.print(
                    readmeTable.size() == 1
                            ? BenchTable.markdown(null, readmeTable.get(0))
                            : BenchTable.markdown(readmeTable.get(0), readmeTable.get(1)));
            return 0;
        }
        // The embedded broker prints to stdout as it formats its log: with --json, stdout is the
        // JSON alone, so the progress goes to stderr while the bench runs.
        if (json) System.setOut(System.err);
        Bench.Result r;
        try {
            r = runBench();
        } finally {
            System.setOut(out);
        }
        if (json) {
            out.println(
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(r.asMap()));
        } else {
            r.print(out);
            out.println(r.ratioLine());
        }
        return 0;
    }

    private Bench.Result runBench() throws Exception {
        return new Bench(
                        events,
                        runs,
                        Duration.ofSeconds(20),
                        profile.profile,
                        replayStores,
                        System.err)
                .run();
    }
}
