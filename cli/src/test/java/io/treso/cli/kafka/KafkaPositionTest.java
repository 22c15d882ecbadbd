package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.connectors.source.SourceRecord;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position pipeline through a real in-JVM Kafka broker and a MiniCluster with RocksDB and
 * exactly-once sinks gives the records replay gives, with and without a task failure.
 */
@ExtendWith(SharedKafka.class)
class KafkaPositionTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @TempDir static Path dir;

    /** Flink cleans checkpoints asynchronously: kept out of @TempDir, removed tolerantly. */
    static Path checkpoints;

    static ShopSimulator.Output sim;
    static Path replayOut;
    static long endOfTime;

    @BeforeAll
    static void replayFirst() throws Exception {
        checkpoints = Files.createTempDirectory("treso-kafka-test-");
        ShopSimulator.Output run = ShopSimulator.run(SimulatorConfig.of(21, 30, 3));
        // A treasurer writes off the loan drawdown no payout explains: both paths must apply it.
        List<SpecificRecord> events = new ArrayList<>();
        events.add(writeOffTheLoan(run.events()));
        events.add(sensitiveVarianceRule());
        events.addAll(run.events());
        sim = new ShopSimulator.Output(events, run.truth());
        Replayed replayed = Replayed.of(sim.events(), dir);
        replayOut = replayed.out();
        endOfTime = replayed.endOfTime();
    }

    /**
     * Variance thresholds low enough that this small simulation raises variance alerts, so the
     * equality below covers the variance pipeline (windows, timers, broadcast rules) too.
     */
    static ControlCommand sensitiveVarianceRule() {
        return ControlCommand.newBuilder()
                .setEventId("control:VARIANCE_RULE:*:1")
                .setOccurredAt(Instant.parse("2026-03-15T23:00:00Z"))
                .setKind("VARIANCE_RULE")
                .setScope("*")
                .setVersion(1)
                .setEffectiveAt(Instant.parse("2026-03-15T00:00:00Z"))
                .setThresholdMinor(null)
                .setCurrency(null)
                .setTimeZone(null)
                .setParams(
                        Map.of(
                                "z", "2",
                                "min_volume", "3",
                                "min_change", "0.2",
                                "debit_min_history", "5",
                                "debit_factor", "1.5"))
                .build();
    }

    static ControlCommand writeOffTheLoan(List<SpecificRecord> events) {
        BankTransaction loan =
                events.stream()
                        .filter(
                                e ->
                                        e instanceof BankTransaction b
                                                && "LOAN DRAWDOWN".equals(b.getReference()))
                        .map(e -> (BankTransaction) e)
                        .findFirst()
                        .orElseThrow();
        Instant effective = loan.getBookedAt().plus(java.time.Duration.ofDays(6));
        return ControlCommand.newBuilder()
                .setEventId("control:MATCH_ACTION:loan")
                .setOccurredAt(Instant.parse("2026-03-15T23:00:00Z")) // issued before the data
                .setKind("MATCH_ACTION")
                .setScope(loan.getAccountId())
                .setVersion(1)
                .setEffectiveAt(effective)
                .setThresholdMinor(null)
                .setCurrency(null)
                .setTimeZone(null)
                .setParams(
                        Map.of(
                                "match_id", "bank:" + loan.getEventId(),
                                "action", "write_off",
                                "reason", "loan drawdown, booked by hand"))
                .build();
    }

    @AfterAll
    static void removeCheckpoints() {
        io.treso.cli.embedded.TempDirs.deleteRecursively(checkpoints);
    }

    @Test
    void kafkaGivesTheRecordsReplayGives() throws Exception {
        String replayAlerts = Files.readString(replayOut.resolve(ReplayRuntime.ALERTS));
        assertTrue(
                replayAlerts.contains("\"type\":\"SALES_")
                        || replayAlerts.contains("\"type\":\"REFUND_SPIKE\"")
                        || replayAlerts.contains("\"type\":\"UNUSUAL_DEBIT\""),
                "variance alerts are part of what is compared");
        KafkaOutputs kafka =
                runOnKafka("eq", sim.events(), endOfTime, checkpoints, UnaryOperator.identity(), 0);
        assertSameAsReplay(kafka);
    }

    @Test
    void aTaskFailureMidStreamRecoversToTheSameOutput() throws Exception {
        FailOnce.TRIPPED.set(false);
        KafkaOutputs kafka =
                runOnKafka(
                        "fail",
                        sim.events(),
                        endOfTime,
                        checkpoints,
                        raw -> raw.map(new FailOnce()).setParallelism(raw.getParallelism()),
                        2);
        assertTrue(FailOnce.TRIPPED.get(), "the failure was injected after a checkpoint");
        assertSameAsReplay(kafka);
    }

    /**
     * Publishes {@code events} to topics of their own, runs every pipeline on them (RocksDB, 500 ms
     * checkpoints, exactly-once sinks, {@code restarts} restarts allowed) until {@code endOfTime},
     * and reads what was committed.
     */
    static KafkaOutputs runOnKafka(
            String name,
            List<? extends SpecificRecord> events,
            long endOfTime,
            Path checkpoints,
            UnaryOperator<DataStream<SourceRecord>> tap,
            int restarts)
            throws Exception {
        return runOnKafka(
                name,
                SharedKafka.bootstrap(),
                RegistryEndpoint.of(SharedKafka.registryUrl()),
                events,
                endOfTime,
                checkpoints,
                tap,
                restarts,
                job -> {});
    }

    /** The same on a broker and registry of the caller's; {@code during} acts while it runs. */
    static KafkaOutputs runOnKafka(
            String name,
            String bootstrap,
            RegistryEndpoint registry,
            List<? extends SpecificRecord> events,
            long endOfTime,
            Path checkpoints,
            UnaryOperator<DataStream<SourceRecord>> tap,
            int restarts,
            During during)
            throws Exception {
        String suffix = "-" + name + "-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        try (EventPublisher publisher =
                new EventPublisher(bootstrap, registry.client(), topics, "simulator")) {
            publisher.publishAll(events);
        }

        Configuration conf =
                FlinkSettings.checkpointed(
                        "rocksdb",
                        java.time.Duration.ofMillis(500),
                        checkpoints.resolve(name).toUri().toString());
        if (restarts == 0) {
            conf.setString("restart-strategy.type", "none");
        } else {
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", Integer.toString(restarts));
            conf.setString("restart-strategy.fixed-delay.delay", "200 ms");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        env.setParallelism(2);
        var settings =
                KafkaRuntime.Settings.bounded(bootstrap, registry, topics, suffix, endOfTime);
        var seeds = KafkaRuntime.readControl(bootstrap, registry, topics.of(EventType.CONTROL));
        assertEquals(
                events.stream().filter(e -> e instanceof ControlCommand).count(),
                seeds.size(),
                "every control command (rules, the action, store configs) is read before data flows");
        KafkaRuntime.build(env, settings, TresoOptions.defaults(), seeds, tap);
        JobClient job = env.executeAsync("treso kafka " + name);
        during.act(job);
        job.getJobExecutionResult().get();

        return KafkaOutputs.read(bootstrap, registry, topics);
    }

    /** What a test does while the job runs. */
    interface During {
        void act(JobClient job) throws Exception;
    }

    static void assertSameAsReplay(KafkaOutputs kafka) throws Exception {
        kafka.assertSameAsReplay(replayOut);
        assertTrue(
                Files.readAllLines(replayOut.resolve(ReplayRuntime.RECONCILIATION)).stream()
                        .anyMatch(l -> l.contains("treasurer-write-off")),
                "the treasurer's action applied");
    }

    /** Slows the stream until a checkpoint completes, then fails once. */
    static final class FailOnce extends RichMapFunction<SourceRecord, SourceRecord>
            implements CheckpointListener {
        static final AtomicBoolean TRIPPED = new AtomicBoolean();
        private transient volatile boolean checkpointed;
        private long seen;

        @Override
        public SourceRecord map(SourceRecord r) throws Exception {
            if (!TRIPPED.get()) {
                seen++;
                if (checkpointed && seen > 100 && TRIPPED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure");
                }
                Thread.sleep(1);
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
