package io.treso.connectors.kafka;

import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.registry.SchemaRegistryClient;
import io.treso.schemas.wire.AvroWireEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records in the Confluent wire format, keyed by their natural scope so that a partition
 * keeps the order of its scope. The schema is registered under {@code <topic>-value} on open.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final RegistryEndpoint registry;
    private final SerializableFunction<T, String> key;
    private transient AvroWireEncoder<T> encoder;

    public AvroRecordSerializer(
            String topic,
            Class<T> type,
            RegistryEndpoint registry,
            SerializableFunction<T, String> key) {
        this.topic = topic;
        this.type = type;
        this.registry = registry;
        this.key = key;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        encoder =
                new AvroWireEncoder<>(
                        registry.client(),
                        SchemaRegistryClient.valueSubject(topic),
                        SpecificData.get().getSchema(type));
        encoder.schemaId();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        // The broker's clock, not event time: retention counts from the record timestamp, and
        // an output about March must not be deleted in November before anyone read it.
        return new ProducerRecord<>(
                topic,
                null,
                null,
                key.apply(element).getBytes(StandardCharsets.UTF_8),
                encoder.encode(element));
    }
}
