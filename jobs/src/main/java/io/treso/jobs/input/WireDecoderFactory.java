package io.treso.jobs.input;

import io.treso.connectors.kafka.TresoTopics;
import io.treso.event.Heartbeat;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.registry.SchemaRegistryClient;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.ConfluentWire;
import io.treso.schemas.wire.DecodeException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Kafka records of Treso's input topics: the topic names the record type, and a writer
 * schema named {@code Heartbeat} marks a heartbeat on any topic.
 */
public final class WireDecoderFactory implements DecoderFactory {
    private static final long serialVersionUID = 1L;

    private final RegistryEndpoint registry;
    private final TresoTopics topics;

    public WireDecoderFactory(RegistryEndpoint registry, TresoTopics topics) {
        this.registry = registry;
        this.topics = topics;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public InputGate.Decoder create() {
        SchemaRegistryClient client = registry.client();
        Map<EventType, AvroWireDecoder<SpecificRecord>> decoders = new EnumMap<>(EventType.class);
        AvroWireDecoder<Heartbeat> heartbeats = new AvroWireDecoder<>(client, Heartbeat.class);
        return raw -> {
            int id = ConfluentWire.schemaId(raw.payload);
            Schema writer;
            try {
                writer = client.schemaById(id);
            } catch (RuntimeException e) {
                // Let the decoder classify it (unknown id: PERMANENT; unreachable: TRANSIENT).
                return decoders.computeIfAbsent(
                                topics.typeOf(raw.origin),
                                t -> new AvroWireDecoder(client, t.recordClass()))
                        .decode(raw.payload);
            }
            if (Heartbeat.getClassSchema().getFullName().equals(writer.getFullName())) {
                return heartbeats.decode(raw.payload);
            }
            EventType type = topics.typeOf(raw.origin);
            if (!type.schema().getFullName().equals(writer.getFullName())) {
                throw DecodeException.permanent(
                        ConfluentWire.INCOMPATIBLE_SCHEMA,
                        "a "
                                + writer.getName()
                                + " on topic "
                                + raw.origin
                                + ", which carries "
                                + type.schema().getName());
            }
            return decoders.computeIfAbsent(type, t -> new AvroWireDecoder(client, t.recordClass()))
                    .decode(raw.payload);
        };
    }
}
