package io.treso.connectors.kafka;

import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.AvroWireDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic as it stands, with read_committed, as people and Slack do. */
public final class TopicReader {
    private TopicReader() {}

    /** A decoded record with where it sits. */
    public record Entry<T>(T value, int partition, long offset, byte[] key) {}

    public static Properties consumerProperties(String bootstrap) {
        return consumerProperties(bootstrap, Map.of());
    }

    /** With the deployment's Kafka client properties (SASL, TLS) passed through. */
    public static Properties consumerProperties(String bootstrap, Map<String, String> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    public static <T extends SpecificRecord> List<T> readAll(
            String bootstrap, RegistryEndpoint registry, String topic, Class<T> type) {
        return readAll(bootstrap, Map.of(), registry, topic, type);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS). */
    public static <T extends SpecificRecord> List<T> readAll(
            String bootstrap,
            Map<String, String> client,
            RegistryEndpoint registry,
            String topic,
            Class<T> type) {
        return entries(bootstrap, client, registry, topic, type).stream()
                .map(Entry::value)
                .toList();
    }

    public static <T extends SpecificRecord> List<Entry<T>> entries(
            String bootstrap, RegistryEndpoint registry, String topic, Class<T> type) {
        return entries(bootstrap, Map.of(), registry, topic, type);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS). */
    public static <T extends SpecificRecord> List<Entry<T>> entries(
            String bootstrap,
            Map<String, String> client,
            RegistryEndpoint registry,
            String topic,
            Class<T> type) {
        AvroWireDecoder<T> decoder = new AvroWireDecoder<>(registry.client(), type);
        List<Entry<T>> out = new ArrayList<>();
        scan(
                bootstrap,
                client,
                topic,
                r ->
                        out.add(
                                new Entry<>(
                                        decoder.decode(r.value()),
                                        r.partition(),
                                        r.offset(),
                                        r.key())));
        return out;
    }

    /** Hands every committed record of {@code topic}, as it stands now, to {@code visitor}. */
    public static void scan(
            String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        scan(bootstrap, Map.of(), topic, visitor);
    }

    /** The same, with the deployment's Kafka client properties. */
    public static void scan(
            String bootstrap,
            Map<String, String> client,
            String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(consumerProperties(bootstrap, client))) {
            List<TopicPartition> parts = fromStart(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    visitor.accept(r);
                }
            }
        }
    }

    /**
     * Follows {@code topic} from its beginning, handing each committed record to {@code visitor} as
     * it arrives, until {@code stop} says so (checked at least every {@code pollMillis}).
     */
    public static void follow(
            String bootstrap,
            String topic,
            long pollMillis,
            java.util.function.BooleanSupplier stop,
            Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            List<TopicPartition> parts = fromStart(c, topic);
            while (!stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(pollMillis))) {
                    visitor.accept(r);
                }
            }
        }
    }

    /** Assigns every partition of {@code topic} to {@code c}, positioned at the beginning. */
    private static List<TopicPartition> fromStart(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> parts =
                c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return parts;
    }
}
