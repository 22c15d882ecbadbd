package io.treso.connectors.kafka;

import io.treso.connectors.source.SourceRecord;
import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Kafka sources of raw records, read with {@code read_committed}. */
public final class KafkaInputs {
    private KafkaInputs() {}

    /**
     * A source of the given topics from their earliest offsets. {@code bounded} reads what is there
     * and ends, for tests, replays and benchmarks. Partition discovery is off: a source never has
     * more readers than partitions, and a partition without records would pin the watermark.
     */
    public static KafkaSource<SourceRecord> source(
            String bootstrap, List<String> topics, String groupId, boolean bounded) {
        var builder =
                KafkaSource.<SourceRecord>builder()
                        .setBootstrapServers(bootstrap)
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
