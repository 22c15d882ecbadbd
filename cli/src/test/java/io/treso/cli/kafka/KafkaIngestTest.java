package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.ingest.Ingest;
import io.treso.connectors.ingest.KafkaIngestSink;
import io.treso.connectors.ingest.SourceReader;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.ConfluentWire;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code treso ingest --kafka}: one transaction per statement, and a broker lost mid-file. */
@ExtendWith(SharedKafka.class)
class KafkaIngestTest {
    static final Path FIXTURES = Path.of("../connectors/src/test/resources/ingest");
    static final Path CAMT = FIXTURES.resolve("camt053-v02.xml");

    @Test
    void statementsAndLinesReachTheirTopicsAndARerunRepeatsTheSameIds() throws Exception {
        String bootstrap = SharedKafka.bootstrap();
        String suffix = "-ingest-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        for (int run = 1; run <= 2; run++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ingest(bootstrap, suffix, out, err);
            assertEquals(0, code, err.toString());
            assertTrue(out.toString().contains("7 events written to Kafka"), out.toString());
        }
        List<String> lineIds = ids(bootstrap, topics.of(EventType.BANK), BankTransaction.class);
        assertEquals(10, lineIds.size(), "5 lines, twice");
        assertEquals(
                5, new TreeSet<>(lineIds).size(), "the same 5 ids: the pipelines drop the repeats");
        assertEquals(4, ids(bootstrap, topics.of(EventType.STATEMENT), BankStatement.class).size());
        int[] heartbeats = {0};
        TopicReader.scan(bootstrap, topics.of(EventType.ORDER), r -> heartbeats[0]++);
        assertTrue(heartbeats[0] > 0, "quiet input partitions get heartbeats");
        // Missing topics are named at once, not after a metadata timeout.
        StringWriter err = new StringWriter();
        int code = ingest(bootstrap, "-nowhere", new StringWriter(), err);
        assertEquals(1, code);
        assertTrue(err.toString().contains("do not exist on " + bootstrap), err.toString());
    }

    private static int ingest(String bootstrap, String suffix, StringWriter out, StringWriter err) {
        return TresoCli.execute(
                new String[] {
                    "ingest",
                    "--format",
                    "camt053",
                    "--zone",
                    "Europe/Paris",
                    CAMT.toString(),
                    "--kafka",
                    bootstrap,
                    "--registry",
                    SharedKafka.registryUrl(),
                    "--topic-suffix",
                    suffix
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    /** The only test here with a broker of its own: it is stopped between two statements. */
    @Test
    void aBrokerLostMidFileFailsClearlyAfterTheLastCommittedStatement() throws Exception {
        RegistryEndpoint registry = RegistryEndpoint.of(SharedKafka.registryUrl());
        TresoTopics topics = TresoTopics.withSuffix("-loss-" + System.nanoTime());
        SourceReader camt =
                SourceReader.perFile(
                        new CamtReader(CamtReader.Message.CAMT053, ZoneId.of("Europe/Paris"))
                                ::parse);
        List<String> committedBeforeLoss = new ArrayList<>();
        StringWriter err = new StringWriter();
        Ingest.Outcome outcome;
        long started;
        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            String bootstrap = broker.bootstrapServers();
            TopicAdmin.createAll(bootstrap, topics, 2);
            KafkaIngestSink sink =
                    new KafkaIngestSink(
                            EventPublisher.transactional(
                                    bootstrap,
                                    registry.client(),
                                    topics,
                                    "ingest",
                                    "treso-ingest-loss",
                                    3_000),
                            bootstrap);
            started = System.nanoTime();
            outcome =
                    Ingest.run(
                            camt.read(List.of(CAMT)),
                            sink,
                            new PrintWriter(new StringWriter(), true),
                            new PrintWriter(err, true),
                            (file, batch) -> {
                                if (!committedBeforeLoss.isEmpty()) return;
                                // The coordinator writes commit markers just after the commit
                                // returns.
                                long until = System.nanoTime() + 10_000_000_000L;
                                List<String> seen = List.of();
                                while (seen.size() < 3 && System.nanoTime() < until) {
                                    seen =
                                            ids(
                                                    bootstrap,
                                                    topics.of(EventType.BANK),
                                                    BankTransaction.class);
                                }
                                committedBeforeLoss.addAll(seen);
                                try {
                                    broker.close();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            sink.close();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("broker loss, " + seconds + " s: " + err.toString().strip());
        assertEquals(1, outcome.exitCode());
        assertEquals(4, outcome.eventsWritten(), "the first statement and its 3 lines");
        assertEquals(
                3, committedBeforeLoss.size(), "visible once committed: " + committedBeforeLoss);
        String message = err.toString();
        assertTrue(message.startsWith("treso: ingest stopped at " + CAMT + ": Kafka at "), message);
        assertTrue(message.contains("failed while publishing END_OF_DAY STMT-20260303"), message);
        assertTrue(message.contains("nothing of it is visible"), message);
        assertTrue(message.contains("Re-run the same command"), message);
        assertTrue(seconds < 60, "bounded by the Kafka timeout, took " + seconds + " s");
    }

    /** The event ids of the records of {@code type} on {@code topic}; heartbeats are skipped. */
    static <T extends SpecificRecord> List<String> ids(
            String bootstrap, String topic, Class<T> type) {
        RegistryEndpoint registry = RegistryEndpoint.of(SharedKafka.registryUrl());
        var client = registry.client();
        AvroWireDecoder<T> decoder = new AvroWireDecoder<>(client, type);
        String name = type.getName();
        List<String> out = new ArrayList<>();
        TopicReader.scan(
                bootstrap,
                topic,
                r -> {
                    if (client.schemaById(ConfluentWire.schemaId(r.value()))
                            .getFullName()
                            .equals(name)) {
                        out.add(EventType.eventId(decoder.decode(r.value())));
                    }
                });
        return out;
    }
}
