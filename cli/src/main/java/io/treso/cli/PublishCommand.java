package io.treso.cli;

import io.treso.cli.embedded.PacedPublishing;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.replay.EventFormatException;
import io.treso.connectors.replay.EventJson;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Publishes a replay file (the simulator's, or ingest's output) to the input topics through the
 * production path: the registry's schemas, the Confluent wire format, the topics' keys and the
 * heartbeats that move idle partitions' event time.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publish a replay events file (JSON lines) to Kafka, as the shops, PSPs and banks would.",
            "A line that is not an event is reported and skipped (exit 1); the rest are published."
        })
final class PublishCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--input", required = true, description = "The events file (JSON lines).")
    Path input;

    @Option(
            names = "--speed",
            defaultValue = "0",
            description =
                    "Simulated seconds per wall-clock second; 0 publishes at once (default: ${DEFAULT-VALUE}).")
    double speed;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new ParameterException(spec.commandLine(), "--speed must be 0 or more");
        }
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "--input " + input + " is not a file");
        }
        PrintWriter err = spec.commandLine().getErr();
        List<SpecificRecord> events = new ArrayList<>();
        int refused = 0;
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    events.add(EventJson.parseLine(n == 1 ? stripBom(line) : line));
                } catch (EventFormatException e) {
                    refused++;
                    if (refused <= 20) {
                        err.printf("treso: %s line %d: %s; skipped%n", input, n, e.getMessage());
                    }
                }
            }
        }
        long published;
        long heartbeats;
        try (EventPublisher publisher =
                new EventPublisher(
                        kafka.bootstrap,
                        kafka.client(),
                        kafka.registry().client(),
                        kafka.topics(),
                        "publish")) {
            PacedPublishing.publish(publisher, events, speed);
            published = publisher.published();
            heartbeats = publisher.heartbeats();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "published %,d events (and %,d heartbeats) from %s to %s%s%n",
                        published,
                        heartbeats,
                        input,
                        kafka.bootstrap,
                        refused == 0 ? "" : String.format("; %,d lines refused", refused));
        return refused == 0 ? 0 : 1;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
