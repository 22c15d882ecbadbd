package io.treso.schemas.wire;

import io.treso.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes SpecificRecords in the Confluent wire format. The schema is registered under the subject
 * once, on first use, and its id is kept. Not thread-safe: one per task.
 */
public final class AvroWireEncoder<T extends SpecificRecord> {
    private final SchemaRegistryClient registry;
    private final String subject;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private int schemaId = -1;

    public AvroWireEncoder(SchemaRegistryClient registry, String subject, Schema schema) {
        this.registry = registry;
        this.subject = subject;
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(schema);
    }

    /** The registered id, registering the schema when this is the first call. */
    public int schemaId() {
        if (schemaId < 0) {
            schemaId = registry.register(subject, schema);
        }
        return schemaId;
    }

    public byte[] encode(T record) {
        int id = schemaId();
        buffer.reset();
        byte[] header = new byte[ConfluentWire.HEADER_SIZE];
        ConfluentWire.writeHeader(ByteBuffer.wrap(header), id);
        buffer.writeBytes(header);
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
