package io.treso.schemas.wire;

import io.treso.schemas.registry.RegistryException;
import io.treso.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent-framed Avro into the current reader class, resolving from whatever writer
 * schema the id names. Writer schemas come from the registry once per id and are cached, so a
 * registry outage after warm-up does not stop decoding. Not thread-safe: one per task.
 */
public final class AvroWireDecoder<T extends SpecificRecord> {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new HashMap<>();
    private BinaryDecoder decoder;

    public AvroWireDecoder(SchemaRegistryClient registry, Class<T> readerClass) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(readerClass);
    }

    /**
     * Decodes one record.
     *
     * @throws DecodeException PERMANENT for bad bytes or an unknown id, TRANSIENT when the registry
     *     cannot be reached for an id not seen before
     */
    public T decode(byte[] bytes) {
        int id = ConfluentWire.schemaId(bytes);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = new SpecificDatumReader<>(writerSchema(id), readerSchema);
            readers.put(id, reader);
        }
        decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                bytes,
                                ConfluentWire.HEADER_SIZE,
                                bytes.length - ConfluentWire.HEADER_SIZE,
                                decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (AvroTypeException e) {
            throw DecodeException.permanent(
                    ConfluentWire.INCOMPATIBLE_SCHEMA,
                    "schema id "
                            + id
                            + " cannot be read as "
                            + readerSchema.getName()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw DecodeException.permanent(
                    ConfluentWire.INVALID_PAYLOAD,
                    "payload does not decode with schema id " + id + ": " + describe(e),
                    e);
        }
        try {
            if (!decoder.isEnd()) {
                throw DecodeException.permanent(
                        ConfluentWire.INVALID_PAYLOAD,
                        "trailing bytes after a " + readerSchema.getName() + " record");
            }
        } catch (IOException e) {
            throw DecodeException.permanent(ConfluentWire.INVALID_PAYLOAD, describe(e), e);
        }
        return record;
    }

    private Schema writerSchema(int id) {
        try {
            return registry.schemaById(id);
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                throw DecodeException.permanent(
                        ConfluentWire.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not registered");
            }
            // Unreachable, 5xx, or refused credentials: never the record's fault.
            throw DecodeException.transientFailure(
                    "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        } catch (AvroRuntimeException e) {
            throw DecodeException.permanent(
                    ConfluentWire.UNKNOWN_SCHEMA_ID, "schema id " + id + " is unusable", e);
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
