package io.treso.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a command reads the pipelines' outputs: a replay's output directory, or the Kafka topics
 * (the same records, as the running job committed them).
 */
final class OutputsSource {
    @Option(
            names = "--from",
            required = true,
            description = "The output directory of ./treso replay.")
    Path dir;

    @ArgGroup(exclusive = false)
    KafkaOptions kafka;
}
