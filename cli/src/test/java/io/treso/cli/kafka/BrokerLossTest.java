package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.connectors.source.SourceRecord;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * R5: the broker goes away for 30 s in the middle of a run of every pipeline (exactly-once sinks,
 * RocksDB) and comes back on the same port and log directory. The job carries on, and its committed
 * outputs equal one replay: nothing lost, nothing twice. {@code -Dtreso.r5.outage=PT5M} tries a
 * longer outage (outside the suite).
 */
class BrokerLossTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @TempDir static Path dir;

    @Test
    void aBrokerGoneForThirtySecondsLosesNothingAndRepeatsNothing() throws Exception {
        Duration outage = Duration.parse(System.getProperty("treso.r5.outage", "PT30S"));
        ShopSimulator.Output sim = ShopSimulator.run(SimulatorConfig.of(5, 30, 3));
        Replayed replayed = Replayed.of(sim.events(), dir);
        Path checkpoints = Files.createTempDirectory("treso-r5-");
        Slow.reset();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            long[] down = new long[2];
            KafkaOutputs outputs =
                    KafkaPositionTest.runOnKafka(
                            "r5",
                            kafka.bootstrapServers(),
                            RegistryEndpoint.of(registry.url()),
                            sim.events(),
                            replayed.endOfTime(),
                            checkpoints,
                            raw ->
                                    raw.map(new Slow())
                                            .setParallelism(raw.getParallelism())
                                            .name("slow until the outage"),
                            100,
                            job -> {
                                while (Slow.SEEN.get() < 1_000) Thread.sleep(50);
                                down[0] = System.nanoTime();
                                kafka.stopBroker();
                                Thread.sleep(outage.toMillis());
                                kafka.restartBroker();
                                down[1] = System.nanoTime();
                                Slow.OVER.set(true);
                            });
            long recovered = System.nanoTime();
            outputs.assertSameAsReplay(replayed.out());
            assertTrue(down[1] > down[0], "the broker was stopped and started");
            System.out.printf(
                    "R5: broker down %.1f s after %d of %d records; %d task restarts; the job ended %.1f s after the broker returned; outputs equal the replay: %d alerts and %d reconciliation records each once, 0 lost, 0 duplicated%n",
                    (down[1] - down[0]) / 1e9,
                    1_000,
                    sim.events().size(),
                    Slow.OPENS.get() / 2 - 1,
                    (recovered - down[1]) / 1e9,
                    outputs.alerts().size(),
                    outputs.reconciliation().size());
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(checkpoints.toFile());
        }
    }

    @Test
    void thePublisherStopsWithAClearLineWhileTheBrokerIsAwayAndLosesNothing() throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>();
        var events = ShopSimulator.run(SimulatorConfig.of(9, 7, 1)).events();
        events.forEach(e -> lines.add(io.treso.connectors.replay.EventJson.toLine(e)));
        Path file = dir.resolve("publish.jsonl");
        Files.write(file, lines);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            var topics = io.treso.connectors.kafka.TresoTopics.withSuffix("-r5p");
            io.treso.connectors.kafka.TopicAdmin.createAll(kafka.bootstrapServers(), topics, 1);
            String[] publish = {
                "publish",
                "--input",
                file.toString(),
                "--kafka",
                kafka.bootstrapServers(),
                "--registry",
                registry.url(),
                "--topic-suffix",
                "-r5p"
            };
            kafka.stopBroker();
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            long t0 = System.nanoTime();
            int code =
                    io.treso.cli.TresoCli.execute(
                            publish,
                            new java.io.PrintWriter(out, true),
                            new java.io.PrintWriter(err, true));
            double took = (System.nanoTime() - t0) / 1e9;
            kafka.restartBroker();
            System.out.printf(
                    "R5: publish with the broker away: exit %d after %.1f s: %s%n",
                    code, took, err.toString().strip());
            assertTrue(code != 0, "a publisher that could not deliver says so: " + out);
            assertTrue(
                    err.toString().lines().count() <= 2, "one clear line, no stack trace: " + err);
            assertTrue(err.toString().contains("did not answer within 15 s"), err.toString());
            int again =
                    io.treso.cli.TresoCli.execute(
                            publish,
                            new java.io.PrintWriter(new java.io.StringWriter(), true),
                            new java.io.PrintWriter(new java.io.StringWriter(), true));
            assertTrue(again == 0, "published once the broker is back");
            java.util.Set<String> ids = new java.util.HashSet<>();
            var client = RegistryEndpoint.of(registry.url()).client();
            for (var t : io.treso.schemas.EventType.values()) {
                if (!t.isInput() || t.defaultTopic() == null) continue;
                var decoder = new io.treso.schemas.wire.AvroWireDecoder<>(client, t.recordClass());
                io.treso.connectors.kafka.TopicReader.scan(
                        kafka.bootstrapServers(),
                        topics.of(t),
                        r -> {
                            var writer =
                                    client.schemaById(
                                            io.treso.schemas.wire.ConfluentWire.schemaId(
                                                    r.value()));
                            if (!writer.getName().equals("Heartbeat")) {
                                ids.add(
                                        io.treso.schemas.EventType.eventId(
                                                decoder.decode(r.value())));
                            }
                        });
            }
            java.util.Set<String> expected = new java.util.HashSet<>();
            events.forEach(e -> expected.add(io.treso.schemas.EventType.eventId(e)));
            org.junit.jupiter.api.Assertions.assertEquals(
                    expected, ids, "every event once the retry is done");
        }
    }

    /** Slows the stream until the outage is over, so that it falls in the middle of the run. */
    static final class Slow extends RichMapFunction<SourceRecord, SourceRecord> {
        static final AtomicInteger SEEN = new AtomicInteger();
        static final AtomicInteger OPENS = new AtomicInteger();
        static final AtomicBoolean OVER = new AtomicBoolean();

        static void reset() {
            SEEN.set(0);
            OPENS.set(0);
            OVER.set(false);
        }

        @Override
        public void open(OpenContext openContext) {
            OPENS.incrementAndGet();
        }

        @Override
        public SourceRecord map(SourceRecord r) throws Exception {
            SEEN.incrementAndGet();
            if (!OVER.get()) Thread.sleep(2);
            return r;
        }
    }
}
