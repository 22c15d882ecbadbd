package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that talks to Kafka hands {@code --kafka-property} to its clients (SASL, TLS
 * settings in production). Shown with a malformed setting that Kafka's own client refuses when it
 * is built: each command must fail naming it, which it can only do if the property arrived.
 */
@ExtendWith(SharedKafka.class)
class KafkaClientPropertiesTest {
    private static final String BAD = "receive.buffer.bytes=not-a-number";

    @TempDir Path dir;

    @Test
    void everyKafkaCommandPassesItsClientProperties() throws Exception {
        String suffix = "-props-" + System.nanoTime();
        TopicAdmin.createAll(SharedKafka.bootstrap(), TresoTopics.withSuffix(suffix), 1);
        Path events = dir.resolve("e.jsonl");
        Files.writeString(
                events,
                "{\"type\":\"fx\",\"event_id\":\"fx:1\",\"occurred_at\":\"2026-03-16T00:00:00Z\","
                        + "\"base\":\"USD\",\"quote\":\"EUR\",\"rate\":\"0.9\"}\n");
        Path camt = Path.of("../connectors/src/test/resources/ingest/camt053-v02.xml");
        List<List<String>> commands =
                List.of(
                        List.of("dlq", "list"),
                        List.of("dlq", "replay"),
                        List.of("recon", "open"),
                        List.of(
                                "control",
                                "set",
                                "LOW_BALANCE_THRESHOLD",
                                "--scope",
                                "FR7630006000011234567890189",
                                "--param",
                                "threshold_minor=100",
                                "--param",
                                "currency=EUR"),
                        List.of("publish", "--input", events.toString()),
                        List.of(
                                "ingest",
                                "--format",
                                "camt053",
                                "--zone",
                                "Europe/Paris",
                                camt.toString()),
                        List.of("run"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.addAll(
                    List.of(
                            "--kafka",
                            SharedKafka.bootstrap(),
                            "--registry",
                            SharedKafka.registryUrl(),
                            "--topic-suffix",
                            suffix,
                            "--kafka-property",
                            BAD));
            StringWriter err = new StringWriter();
            int code =
                    TresoCli.execute(
                            args.toArray(String[]::new),
                            new PrintWriter(new StringWriter(), true),
                            new PrintWriter(err, true));
            assertEquals(1, code, command + ": " + err);
            assertTrue(
                    err.toString().contains("receive.buffer.bytes"),
                    command + " built its Kafka client with the property: " + err);
        }
    }
}
