package io.treso.connectors.kafka;

import io.treso.connectors.source.SourceRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands each Kafka record over as raw bytes with its topic, partition, offset and timestamp. It
 * never fails: decoding, and dead-lettering what does not decode, happen downstream.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;

    /** The header {@code dlq replay} puts on re-injected records. */
    public static final String REPLAY_HEADER = "treso-dlq-replay";

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        SourceRecord raw =
                new SourceRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        false,
                        record.timestamp() < 0 ? Long.MIN_VALUE : record.timestamp(),
                        record.value() == null ? new byte[0] : record.value());
        raw.replayed = record.headers().lastHeader(REPLAY_HEADER) != null;
        out.collect(raw);
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
