package io.treso.cli;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.RawRecordDeserializer;
import io.treso.connectors.kafka.TopicReader;
import io.treso.event.DeadLetter;
import io.treso.schemas.EventType;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.DecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code treso dlq list|replay}: see dead letters, and re-inject them once the cause is fixed. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Dead letters: list them with their reasons, or replay them after a fix.",
        subcommands = {DlqCommands.List.class, DlqCommands.Replay.class})
final class DlqCommands implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Show every dead letter with its reason.")
    static final class List implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin KafkaOptions kafka;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var entries =
                    TopicReader.readAll(
                            kafka.bootstrap,
                            kafka.client(),
                            kafka.registry(),
                            kafka.topics().of(EventType.DEAD_LETTER),
                            DeadLetter.class);
            out.printf("%-28s %-26s %-20s %s%n", "source", "reason", "event id", "detail");
            for (DeadLetter d : entries) {
                String source =
                        d.getSourceTopic() != null
                                ? d.getSourceTopic()
                                        + "/"
                                        + d.getSourcePartition()
                                        + "@"
                                        + d.getSourceOffset()
                                : d.getSourceLine() == null
                                        ? d.getSourceFile()
                                        : d.getSourceFile() + ":" + d.getSourceLine();
                out.printf(
                        "%-28s %-26s %-20s %s%n",
                        source,
                        d.getReason(),
                        d.getEventId() == null ? "-" : d.getEventId(),
                        d.getDetail());
            }
            out.printf("%d dead letters%n", entries.size());
            return 0;
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = {
                "Re-inject dead letters into their source topics. They keep their ids (so nothing",
                "is counted twice) and skip the age checks, but not deduplication."
            })
    static final class Replay implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;
        @Mixin KafkaOptions kafka;

        @Option(
                names = "--reason",
                description = "Only dead letters with this reason (e.g. BEYOND_DEDUP_HORIZON).")
        String reason;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var registry = kafka.registry();
            var topics = kafka.topics();
            var entries =
                    TopicReader.readAll(
                            kafka.bootstrap,
                            kafka.client(),
                            registry,
                            topics.of(EventType.DEAD_LETTER),
                            DeadLetter.class);
            Properties p = new Properties();
            p.putAll(kafka.client());
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            int replayed = 0;
            int skipped = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                for (DeadLetter d : entries) {
                    if (reason != null && !reason.equals(d.getReason())) continue;
                    if (d.getSourceTopic() == null) {
                        skipped++;
                        continue;
                    }
                    ByteBuffer buf = d.getOriginalBytes().duplicate();
                    byte[] bytes = new byte[buf.remaining()];
                    buf.get(bytes);
                    byte[] key;
                    Long timestamp;
                    try {
                        EventType type = topics.typeOf(d.getSourceTopic());
                        var record =
                                new AvroWireDecoder<>(registry.client(), type.recordClass())
                                        .decode(bytes);
                        key = EventPublisher.key(record).getBytes(StandardCharsets.UTF_8);
                        timestamp = EventType.eventTime(record).toEpochMilli();
                    } catch (DecodeException | IllegalArgumentException e) {
                        out.printf(
                                "skipped %s/%s@%s: still unreadable (%s)%n",
                                d.getSourceTopic(),
                                d.getSourcePartition(),
                                d.getSourceOffset(),
                                e.getMessage());
                        skipped++;
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> r =
                            new ProducerRecord<>(d.getSourceTopic(), null, timestamp, key, bytes);
                    r.headers().add(RawRecordDeserializer.REPLAY_HEADER, new byte[] {1});
                    producer.send(r);
                    replayed++;
                }
                producer.flush();
            }
            out.printf("replayed %d dead letters, skipped %d%n", replayed, skipped);
            return 0;
        }
    }
}
