package io.treso.connectors.kafka;

import io.treso.schemas.registry.RegistryEndpoint;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Exactly-once Kafka sinks: each with its own transactional id prefix {@code treso-<job>-<sink>},
 * and a transaction timeout below the broker's 15-minute maximum (the connector's default of one
 * hour is refused by a default broker).
 */
public final class ExactlyOnceSinks {
    /** 10 minutes: under the broker's default transaction.max.timeout.ms of 15 minutes. */
    public static final int TRANSACTION_TIMEOUT_MS = 600_000;

    private ExactlyOnceSinks() {}

    public static <T extends SpecificRecord> KafkaSink<T> sink(
            String bootstrap,
            String topic,
            Class<T> type,
            RegistryEndpoint registry,
            SerializableFunction<T, String> key,
            String transactionalIdPrefix,
            DeliveryGuarantee guarantee) {
        return sink(
                bootstrap,
                java.util.Map.of(),
                topic,
                type,
                registry,
                key,
                transactionalIdPrefix,
                guarantee);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS) passed through. */
    public static <T extends SpecificRecord> KafkaSink<T> sink(
            String bootstrap,
            java.util.Map<String, String> client,
            String topic,
            Class<T> type,
            RegistryEndpoint registry,
            SerializableFunction<T, String> key,
            String transactionalIdPrefix,
            DeliveryGuarantee guarantee) {
        var builder = KafkaSink.<T>builder();
        client.forEach(builder::setProperty);
        return builder.setBootstrapServers(bootstrap)
                .setRecordSerializer(new AvroRecordSerializer<>(topic, type, registry, key))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS))
                .setProperty("enable.idempotence", "true")
                .build();
    }

    /** The dead-letter topic's sink, keyed by reason: every job writes its refusals here. */
    public static KafkaSink<io.treso.event.DeadLetter> deadLetters(
            String bootstrap,
            java.util.Map<String, String> client,
            TresoTopics topics,
            RegistryEndpoint registry,
            String transactionalIdPrefix,
            DeliveryGuarantee guarantee) {
        return sink(
                bootstrap,
                client,
                topics.of(io.treso.schemas.EventType.DEAD_LETTER),
                io.treso.event.DeadLetter.class,
                registry,
                io.treso.event.DeadLetter::getReason,
                transactionalIdPrefix,
                guarantee);
    }
}
