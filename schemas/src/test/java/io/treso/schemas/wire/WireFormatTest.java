package io.treso.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankTransaction;
import io.treso.event.OrderEvent;
import io.treso.schemas.EventType;
import io.treso.schemas.SampleRecords;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.HttpSchemaRegistryClient;
import io.treso.schemas.registry.RegistryConfig;
import io.treso.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private static EmbeddedSchemaRegistry server;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedSchemaRegistry.start(0);
        registry = new HttpSchemaRegistryClient(fastConfig(server.url()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RegistryConfig fastConfig(String url) {
        return RegistryConfig.builder(url)
                .requestTimeout(Duration.ofSeconds(2))
                .retries(3, Duration.ofMillis(10), Duration.ofMillis(40))
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void everyRecordTypeRoundTripsThroughTheRegistry() {
        Map<EventType, SpecificRecord> samples = SampleRecords.all();
        assertEquals(EventType.values().length, samples.size(), "a sample for every type");
        for (var e : samples.entrySet()) {
            EventType type = e.getKey();
            String subject = SchemaRegistryClient.valueSubject("rt." + type.wireName());
            AvroWireEncoder encoder = new AvroWireEncoder(registry, subject, type.schema());
            byte[] bytes = encoder.encode(e.getValue());
            assertEquals(0, bytes[0], "magic byte");
            assertEquals(encoder.schemaId(), ByteBuffer.wrap(bytes, 1, 4).getInt());
            AvroWireDecoder decoder = new AvroWireDecoder(registry, type.recordClass());
            assertEquals(e.getValue(), decoder.decode(bytes), type.name());
        }
    }

    @Test
    void oldWriterBytesAreReadIntoTheCurrentReader() throws Exception {
        // Version 1 of OrderEvent had neither tax_minor nor psp_reference.
        Schema current = OrderEvent.getClassSchema();
        Schema old = withoutFields(current, "tax_minor", "psp_reference");
        String subject = SchemaRegistryClient.valueSubject("compat.orders");
        int oldId = registry.register(subject, old);
        int newId = registry.register(subject, current);
        assertTrue(newId != oldId);

        OrderEvent sample = SampleRecords.order();
        GenericRecord v1 = new GenericData.Record(old);
        for (Schema.Field f : old.getFields()) {
            Object value = sample.get(current.getField(f.name()).pos());
            if (value instanceof Enum<?> en) {
                value = new GenericData.EnumSymbol(f.schema(), en.name());
            } else if (value instanceof java.time.Instant i) {
                value = i.toEpochMilli();
            }
            v1.put(f.name(), value);
        }
        byte[] bytes = frame(oldId, old, v1);

        OrderEvent read = new AvroWireDecoder<>(registry, OrderEvent.class).decode(bytes);
        assertEquals(sample.getEventId(), read.getEventId());
        assertEquals(sample.getAmountMinor(), read.getAmountMinor());
        assertEquals(sample.getOccurredAt(), read.getOccurredAt());
        assertNull(read.getTaxMinor());
        assertNull(read.getPspReference());
    }

    @Test
    void anUnknownEnumSymbolFromANewerWriterReadsAsUnknown() throws Exception {
        Schema current = OrderEvent.getClassSchema();
        String json =
                current.toString()
                        .replace("\"OTHER\",\"UNKNOWN\"", "\"OTHER\",\"TIKTOK\",\"UNKNOWN\"");
        Schema newer = new Schema.Parser().parse(json);
        assertTrue(newer.getField("channel").schema().hasEnumSymbol("TIKTOK"));
        int id = registry.register(SchemaRegistryClient.valueSubject("compat.enum"), newer);

        GenericRecord r = new GenericData.Record(newer);
        OrderEvent sample = SampleRecords.order();
        for (Schema.Field f : newer.getFields()) {
            Object value = sample.get(f.pos());
            if (value instanceof Enum<?> en) {
                value = new GenericData.EnumSymbol(f.schema(), en.name());
            } else if (value instanceof java.time.Instant i) {
                value = i.toEpochMilli();
            }
            r.put(f.name(), value);
        }
        r.put("channel", new GenericData.EnumSymbol(newer.getField("channel").schema(), "TIKTOK"));
        OrderEvent read =
                new AvroWireDecoder<>(registry, OrderEvent.class).decode(frame(id, newer, r));
        assertEquals("UNKNOWN", read.getChannel().name());
    }

    @Test
    void aWrongMagicByteIsPermanent() {
        byte[] good = encodeBank();
        good[0] = 0x7b;
        assertPermanent(ConfluentWire.BAD_MAGIC_BYTE, good);
    }

    @Test
    void aTruncatedHeaderIsPermanent() {
        assertPermanent(ConfluentWire.TRUNCATED, new byte[] {0, 0, 1});
        assertPermanent(ConfluentWire.TRUNCATED, new byte[0]);
    }

    @Test
    void anUnknownSchemaIdIsPermanent() {
        byte[] bytes = encodeBank();
        ByteBuffer.wrap(bytes).putInt(1, 999_999);
        assertPermanent(ConfluentWire.UNKNOWN_SCHEMA_ID, bytes);
    }

    @Test
    void aTruncatedPayloadIsPermanent() {
        byte[] bytes = encodeBank();
        assertPermanent(ConfluentWire.INVALID_PAYLOAD, Arrays.copyOf(bytes, bytes.length - 10));
    }

    @Test
    void trailingBytesArePermanent() {
        byte[] bytes = encodeBank();
        assertPermanent(ConfluentWire.INVALID_PAYLOAD, Arrays.copyOf(bytes, bytes.length + 3));
    }

    @Test
    void aRecordOfAnotherTypeIsPermanent() {
        byte[] order =
                new AvroWireEncoder<OrderEvent>(
                                registry,
                                SchemaRegistryClient.valueSubject("perm.orders"),
                                OrderEvent.getClassSchema())
                        .encode(SampleRecords.order());
        DecodeException e =
                assertThrows(
                        DecodeException.class,
                        () -> new AvroWireDecoder<>(registry, BankTransaction.class).decode(order));
        assertTrue(e.isPermanent(), e.getMessage());
    }

    @Test
    void registryDownAtStartUpIsTransient() throws Exception {
        byte[] bytes = encodeBank();
        int port;
        try (EmbeddedSchemaRegistry gone = EmbeddedSchemaRegistry.start(0)) {
            port = gone.port();
        }
        var decoder =
                new AvroWireDecoder<>(
                        new HttpSchemaRegistryClient(fastConfig("http://127.0.0.1:" + port)),
                        BankTransaction.class);
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(bytes));
        assertFalse(e.isPermanent(), "an unreachable registry is never the record's fault");
        assertEquals(DecodeException.Failure.TRANSIENT, e.failure());
    }

    @Test
    void registryDownMidRunKeepsCachedIdsWorking() throws Exception {
        try (EmbeddedSchemaRegistry own = EmbeddedSchemaRegistry.start(0)) {
            var client = new HttpSchemaRegistryClient(fastConfig(own.url()));
            var encoder =
                    new AvroWireEncoder<BankTransaction>(
                            client, "mid.bank-value", BankTransaction.getClassSchema());
            var decoder = new AvroWireDecoder<>(client, BankTransaction.class);
            byte[] bytes = encoder.encode(SampleRecords.bank());
            assertEquals(SampleRecords.bank(), decoder.decode(bytes));

            int otherId =
                    client.register(
                            "mid.orders-value", OrderEvent.getClassSchema()); // never fetched
            own.close();

            for (int i = 0; i < 100; i++) {
                assertEquals(SampleRecords.bank(), decoder.decode(bytes));
            }
            byte[] unseen = bytes.clone();
            ByteBuffer.wrap(unseen).putInt(1, otherId + 1);
            DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(unseen));
            assertEquals(DecodeException.Failure.TRANSIENT, e.failure());
        }
    }

    private static void assertPermanent(String reason, byte[] bytes) {
        DecodeException e =
                assertThrows(
                        DecodeException.class,
                        () -> new AvroWireDecoder<>(registry, BankTransaction.class).decode(bytes));
        assertTrue(e.isPermanent(), e.getMessage());
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static byte[] encodeBank() {
        return new AvroWireEncoder<BankTransaction>(
                        registry, "perm.bank-value", BankTransaction.getClassSchema())
                .encode(SampleRecords.bank());
    }

    static byte[] frame(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    static Schema withoutFields(Schema schema, String... names) {
        var keep =
                schema.getFields().stream()
                        .filter(f -> !Arrays.asList(names).contains(f.name()))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList();
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, keep);
    }
}
