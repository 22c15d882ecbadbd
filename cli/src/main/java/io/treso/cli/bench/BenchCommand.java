package io.treso.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code treso bench}: how close Treso runs to the machine's ceiling, side by side. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Pre-fill an in-JVM Kafka with simulated events, then measure the ceiling (plain consumers),",
            "the position pipeline with RocksDB and with heap state, and alert latency."
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

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Bench.Result r = new Bench(events, runs, System.err).run();
        if (json) {
            out.println(
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(r.asMap()));
        } else {
            r.print(out);
        }
        out.println(r.ratioLine());
        return 0;
    }
}
