package io.treso.benchmarks;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.HttpSchemaRegistryClient;
import io.treso.schemas.registry.RegistryConfig;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.AvroWireEncoder;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Confluent-framed Avro decode of a bank line, through the real registry client's cache. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireDecodeBenchmark {
    private EmbeddedSchemaRegistry registry;
    private AvroWireDecoder<BankTransaction> decoder;
    private AvroWireEncoder<BankTransaction> encoder;
    private BankTransaction line;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        registry = EmbeddedSchemaRegistry.start(0);
        var client = new HttpSchemaRegistryClient(RegistryConfig.builder(registry.url()).build());
        encoder =
                new AvroWireEncoder<>(client, "bench.bank-value", BankTransaction.getClassSchema());
        decoder = new AvroWireDecoder<>(client, BankTransaction.class);
        line =
                BankTransaction.newBuilder()
                        .setEventId("FR7630006000011234567890189:B202603180001")
                        .setBookedAt(Instant.parse("2026-03-18T10:02:11Z"))
                        .setAccountId("FR7630006000011234567890189")
                        .setAmountMinor(12_000)
                        .setCurrency("EUR")
                        .setStatus(BankEntryStatus.BOOKED)
                        .setCounterpartyName("STRIPE")
                        .setReference("STRIPE po_1A2B3C4D5E")
                        .setBankReference("B202603180001")
                        .setStatementId("FR76-20260318")
                        .build();
        bytes = encoder.encode(line);
        decoder.decode(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public BankTransaction decode() {
        return decoder.decode(bytes);
    }

    @Benchmark
    public byte[] encode() {
        return encoder.encode(line);
    }
}
