package io.treso.connectors.kafka;

import io.treso.connectors.source.SourceRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Kafka sources of raw records, read with {@code read_committed}. */
public final class KafkaInputs {
    private KafkaInputs() {}

    /**
     * Fetch settings for reading a backlog: big fetches, few round trips. No minimum fetch size, so
     * a record on a quiet topic is handed over at once (alert latency). The bench's ceiling readers
     * use the same, so the comparison is like for like.
     */
    public static Map<String, String> fetchTuning() {
        return Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "8388608");
    }

    /**
     * A source of the given topics from their earliest offsets. {@code bounded} reads what is there
     * and ends, for tests, replays and benchmarks. Partition discovery is off: a source never has
     * more readers than partitions, and a partition without records would pin the watermark.
     */
    public static KafkaSource<SourceRecord> source(
            String bootstrap, List<String> topics, String groupId, boolean bounded) {
        return source(bootstrap, Map.of(), topics, groupId, bounded);
    }

    /**
     * The same, with the deployment's Kafka client properties (SASL, TLS) passed through. They
     * cannot turn off what the source relies on: read_committed, offsets committed on checkpoints.
     */
    public static KafkaSource<SourceRecord> source(
            String bootstrap,
            Map<String, String> client,
            List<String> topics,
            String groupId,
            boolean bounded) {
        var builder = KafkaSource.<SourceRecord>builder();
        fetchTuning().forEach(builder::setProperty);
        client.forEach(builder::setProperty);
        builder.setBootstrapServers(bootstrap)
                .setTopics(topics)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "-1")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
