package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DeadLetter;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.ConfluentWire;
import java.io.ByteArrayOutputStream;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus ({@code src/test/resources/corpus}: one bad record per file, named by what
 * it breaks, its reason in {@code expected.properties}) in the middle of a clean business, through
 * the replay file and through the Kafka topics. Each bad record is dead-lettered with its reason,
 * the job never restarts (restarts are off: one exception would fail the run), and the valid
 * records around them give the outputs of the same business without the corpus.
 */
@ExtendWith(SharedKafka.class)
class BadInputCorpusTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    static final Path CORPUS = Path.of("src/test/resources/corpus");

    /** Year 2200 and later: beyond what the broker accepts (an hour ahead of its clock). */
    static final long FAR_AHEAD = java.time.Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();

    @TempDir static Path dir;

    static List<String> clean;
    static Map<String, byte[]> cases = new TreeMap<>();
    static Map<String, String> expected = new TreeMap<>();
    static Path cleanOut;

    @BeforeAll
    static void readTheCorpusAndReplayTheCleanBusiness() throws Exception {
        Properties p = new Properties();
        try (var r = new FileReader(CORPUS.resolve("expected.properties").toFile())) {
            p.load(r);
        }
        p.stringPropertyNames().forEach(k -> expected.put(k, p.getProperty(k)));
        try (var files = Files.list(CORPUS)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                int end = bytes.length;
                while (end > 0 && bytes[end - 1] == '\n') end--;
                cases.put(
                        f.getFileName().toString().replace(".jsonl", ""),
                        Arrays.copyOf(bytes, end));
            }
        }
        assertEquals(
                expected.keySet(), cases.keySet(), "every case has its reason, and only cases");
        assertTrue(cases.size() >= 25, "at least 25 kinds: " + cases.size());
        clean =
                ShopSimulator.run(SimulatorConfig.of(5, 8, 2)).events().stream()
                        .map(EventJson::toLine)
                        .toList();
        Path cleanFile = dir.resolve("clean.jsonl");
        Files.write(cleanFile, clean);
        cleanOut = dir.resolve("clean-out");
        replay(cleanFile, cleanOut);
    }

    @Test
    void throughAReplayFileEachBadRecordIsDeadLetteredAndNothingElseChanges() throws Exception {
        int mid = clean.size() / 2;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Map<Long, String> lineOf = new TreeMap<>();
        long n = 0;
        for (int i = 0; i < clean.size(); i++) {
            if (i == mid) {
                for (var c : cases.entrySet()) {
                    file.write(c.getValue());
                    file.write('\n');
                    lineOf.put(++n, c.getKey());
                }
            }
            file.write(clean.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            file.write('\n');
            n++;
        }
        Path input = Files.write(dir.resolve("corpus.jsonl"), file.toByteArray());
        Path out = dir.resolve("corpus-out");
        replay(input, out);

        Map<String, String> got = new TreeMap<>();
        for (String l : Files.readAllLines(out.resolve(ReplayRuntime.DEAD_LETTERS))) {
            DeadLetter d = (DeadLetter) EventJson.fromOutputLine(EventType.DEAD_LETTER, l);
            String name =
                    d.getSourceLine() != null
                            ? lineOf.get(d.getSourceLine())
                            : caseNamedBy(d.getEventId());
            if (name != null) got.put(name, d.getReason());
        }
        printTable("replay file", got);
        assertEquals(expected, got, "each case dead-lettered, with its reason");
        assertSameOutputs(out);
    }

    @Test
    void throughKafkaEachBadRecordIsDeadLetteredAndNothingElseChanges() throws Exception {
        String bootstrap = SharedKafka.bootstrap();
        RegistryEndpoint registry = RegistryEndpoint.of(SharedKafka.registryUrl());
        String suffix = "-corpus-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        List<SpecificRecord> events = new ArrayList<>();
        for (String l : clean) events.add(EventJson.parseLine(l));
        int mid = events.size() / 2;
        Map<String, String> expectedOnKafka = new TreeMap<>();
        Map<String, String> located = new TreeMap<>(); // topic#partition@offset -> case
        Map<String, String> byEventId = new TreeMap<>();
        Properties raw = new Properties();
        raw.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (EventPublisher publisher =
                        new EventPublisher(bootstrap, registry.client(), topics, "simulator");
                KafkaProducer<byte[], byte[]> bytes =
                        new KafkaProducer<>(
                                raw, new ByteArraySerializer(), new ByteArraySerializer())) {
            publisher.publishAll(events.subList(0, mid));
            publisher.flush();
            String orders = topics.of(EventType.ORDER);
            for (var c : cases.entrySet()) {
                SpecificRecord record = parsed(c.getValue());
                if (record != null && EventType.eventTime(record).getEpochSecond() > FAR_AHEAD) {
                    // Kafka's broker refuses a record dated beyond an hour ahead of its clock: the
                    // publisher must say so, not drop it.
                    publisher.publish(record);
                    var e =
                            org.junit.jupiter.api.Assertions.assertThrows(
                                    IllegalStateException.class, publisher::flush);
                    assertTrue(e.getMessage().contains("Kafka refused 1 record"), e.getMessage());
                    System.out.println(
                            c.getKey() + " through Kafka: the publisher says " + e.getMessage());
                } else if (record != null) {
                    // A record Avro can carry: its wire form, as a producer would send it.
                    publisher.publish(record);
                    publisher.flush();
                    byEventId.put(EventType.eventId(record), c.getKey());
                    expectedOnKafka.put(c.getKey(), expected.get(c.getKey()));
                } else {
                    RecordMetadata m =
                            bytes.send(new ProducerRecord<>(orders, 0, null, c.getValue())).get();
                    located.put(m.topic() + "#" + m.partition() + "@" + m.offset(), c.getKey());
                    expectedOnKafka.put(c.getKey(), ConfluentWire.BAD_MAGIC_BYTE);
                }
            }
            // The wire's own ways to be wrong.
            SpecificRecord anOrder =
                    events.stream()
                            .filter(e -> e instanceof io.treso.event.OrderEvent)
                            .findFirst()
                            .get();
            byte[] good = avroOf(anOrder, orders);
            Map<String, byte[]> wire = new TreeMap<>();
            wire.put("wire-unknown-schema-id", withSchemaId(good, 999_999));
            wire.put("wire-truncated-avro", Arrays.copyOf(good, good.length / 2));
            wire.put("wire-empty-value", new byte[0]);
            Map<String, String> wireReasons =
                    Map.of(
                            "wire-unknown-schema-id", ConfluentWire.UNKNOWN_SCHEMA_ID,
                            "wire-truncated-avro", ConfluentWire.INVALID_PAYLOAD,
                            "wire-empty-value", ConfluentWire.TRUNCATED);
            for (var w : wire.entrySet()) {
                RecordMetadata m =
                        bytes.send(new ProducerRecord<>(orders, 1, null, w.getValue())).get();
                located.put(m.topic() + "#" + m.partition() + "@" + m.offset(), w.getKey());
                expectedOnKafka.put(w.getKey(), wireReasons.get(w.getKey()));
            }
            bytes.flush();
            publisher.publishAll(events.subList(mid, events.size()));
        }

        Configuration conf =
                FlinkSettings.checkpointed(
                        "rocksdb",
                        java.time.Duration.ofMillis(500),
                        dir.resolve("checkpoints").toUri().toString());
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        env.setParallelism(2);
        long endOfTime =
                ReplayRuntime.preamble(dir.resolve("clean.jsonl"), TresoOptions.defaults())
                        .endOfTime();
        var settings =
                KafkaRuntime.Settings.bounded(bootstrap, registry, topics, suffix, endOfTime);
        List<ControlCommand> seeds =
                KafkaRuntime.readControl(bootstrap, registry, topics.of(EventType.CONTROL));
        KafkaRuntime.build(env, settings, TresoOptions.defaults(), seeds, UnaryOperator.identity());
        env.execute("treso kafka corpus"); // restarts off: any exception fails here

        Map<String, String> got = new TreeMap<>();
        for (DeadLetter d :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.DEAD_LETTER), DeadLetter.class)) {
            String at =
                    d.getSourceTopic() + "#" + d.getSourcePartition() + "@" + d.getSourceOffset();
            String name = located.containsKey(at) ? located.get(at) : byEventId.get(d.getEventId());
            if (name != null) got.put(name, d.getReason());
        }
        printTable("Kafka topics", got);
        assertEquals(expectedOnKafka, got, "each case dead-lettered, with its reason");

        TreeMap<String, String> lastPosition = new TreeMap<>();
        for (CashPosition p :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.POSITION), CashPosition.class)) {
            lastPosition.put(p.getScope() + "|" + p.getCurrency(), EventJson.toOutputLine(p));
        }
        assertEquals(
                new TreeSet<>(Files.readAllLines(cleanOut.resolve(ReplayRuntime.POSITIONS))),
                new TreeSet<>(lastPosition.values()),
                "positions as without the corpus");
        TreeSet<String> alerts = new TreeSet<>();
        for (CashAlert a :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.ALERT), CashAlert.class)) {
            a.setEmittedAt(null);
            alerts.add(EventJson.toOutputLine(a));
        }
        assertEquals(
                new TreeSet<>(Files.readAllLines(cleanOut.resolve(ReplayRuntime.ALERTS))),
                alerts,
                "alerts as without the corpus");
    }

    private static void replay(Path input, Path out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ReplayRuntime.run(env, input, out, TresoOptions.defaults());
    }

    private static void assertSameOutputs(Path out) throws Exception {
        for (String name :
                List.of(
                        ReplayRuntime.POSITIONS,
                        ReplayRuntime.ALERTS,
                        ReplayRuntime.RECONCILIATION)) {
            assertEquals(
                    new TreeSet<>(Files.readAllLines(cleanOut.resolve(name))),
                    new TreeSet<>(Files.readAllLines(out.resolve(name))),
                    name + ": the valid records give what they give without the corpus");
        }
    }

    /** A dead letter with no location (refused by an account, not the gate) names its record. */
    private static String caseNamedBy(String eventId) {
        if (eventId == null) return null;
        for (String name : cases.keySet()) if (eventId.endsWith(name)) return name;
        return null;
    }

    private static SpecificRecord parsed(byte[] line) {
        try {
            String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') >= 0) return null;
            SpecificRecord r = EventJson.parseLine(text);
            // What Avro cannot encode (a time beyond epoch milliseconds) no producer can send.
            new org.apache.avro.specific.SpecificDatumWriter<SpecificRecord>(r.getSchema())
                    .write(
                            r,
                            org.apache.avro.io.EncoderFactory.get()
                                    .binaryEncoder(new ByteArrayOutputStream(), null));
            return r;
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    private static byte[] avroOf(SpecificRecord r, String topic) throws Exception {
        var client = RegistryEndpoint.of(SharedKafka.registryUrl()).client();
        return new io.treso.schemas.wire.AvroWireEncoder<SpecificRecord>(
                        client,
                        io.treso.schemas.registry.SchemaRegistryClient.valueSubject(topic),
                        r.getSchema())
                .encode(r);
    }

    private static byte[] withSchemaId(byte[] wire, int id) {
        byte[] copy = wire.clone();
        java.nio.ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    private static void printTable(String door, Map<String, String> got) {
        StringBuilder b = new StringBuilder("bad input through the " + door + ":\n");
        got.forEach((k, v) -> b.append(String.format("  %-32s %s%n", k, v)));
        System.out.print(b);
    }
}
