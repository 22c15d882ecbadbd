package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.connectors.source.SourceRecord;
import io.treso.jobs.testing.SharedMiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * R1: six task failures at seeded points of a 60-day run of every pipeline on Kafka (RocksDB,
 * exactly-once sinks): while records flow, while a checkpoint is taken (the snapshot fails), and
 * after a checkpoint completed but before its transactions are known committed. The committed
 * outputs equal one failure-free replay: nothing lost, nothing twice. {@code -Dtreso.r1.failures=N}
 * runs more (outside the suite).
 */
@ExtendWith(SharedKafka.class)
class RepeatedFailuresTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    static final long SEED = 60;

    @TempDir static Path dir;

    @Test
    void sixFailuresAtSeededPointsLoseNothingAndRepeatNothing() throws Exception {
        ShopSimulator.Output sim = ShopSimulator.run(SimulatorConfig.of(SEED, 60, 3));
        Replayed replayed = Replayed.of(sim.events(), dir);
        Path replay = replayed.out();
        long endOfTime = replayed.endOfTime();

        int failures = Integer.getInteger("treso.r1.failures", 6);
        Chaos.arm(failures, SEED);
        Path checkpoints = Files.createTempDirectory("treso-r1-");
        try {
            KafkaOutputs kafka =
                    KafkaPositionTest.runOnKafka(
                            "r1",
                            sim.events(),
                            endOfTime,
                            checkpoints,
                            raw ->
                                    raw.map(new Chaos())
                                            .setParallelism(raw.getParallelism())
                                            .name("chaos"),
                            failures + 2);
            assertEquals(
                    failures, Chaos.FIRED.get(), "every planned failure happened: " + Chaos.log);
            kafka.assertSameAsReplay(replay);
            int restarts = Chaos.OPENS.get() / 2 - 1;
            assertTrue(restarts >= failures, "restarts: " + restarts);
            System.out.printf(
                    "R1: %d events over 60 days, %d failures (%s), %d restarts; outputs equal the replay: "
                            + "%d alerts and %d reconciliation records each once, %d positions, %d dead letters; 0 lost, 0 duplicated%n",
                    sim.events().size(),
                    failures,
                    String.join(", ", Chaos.log),
                    restarts,
                    kafka.alerts().size(),
                    kafka.reconciliation().size(),
                    kafka.positions().size(),
                    kafka.deadLetters().size());
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(checkpoints.toFile());
        }
    }

    /**
     * Fails the job at planned points, one at a time, each after a checkpoint completed since the
     * last recovery (so the run progresses): in {@code map} after a seeded number of records, in
     * {@code snapshotState} (a checkpoint that fails), and in {@code notifyCheckpointComplete} (the
     * checkpoint is complete, the sinks' commit may not have happened). Static: the plan survives
     * the restarts it causes. Slows the stream while failures remain, so checkpoints fall inside.
     */
    static final class Chaos extends RichMapFunction<SourceRecord, SourceRecord>
            implements CheckpointedFunction, CheckpointListener {
        enum Kind {
            RECORD,
            CHECKPOINT,
            AFTER_CHECKPOINT
        }

        static final AtomicInteger FIRED = new AtomicInteger();
        static final AtomicInteger OPENS = new AtomicInteger();
        static final AtomicLong COUNTDOWN = new AtomicLong();
        static volatile List<Kind> plan = List.of();
        static volatile Random random;
        static final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

        private transient volatile boolean checkpointedSinceStart;

        static void arm(int failures, long seed) {
            random = new Random(seed);
            List<Kind> p = new ArrayList<>();
            for (int i = 0; i < failures; i++) p.add(Kind.values()[i % Kind.values().length]);
            java.util.Collections.shuffle(p, random);
            plan = p;
            FIRED.set(0);
            OPENS.set(0);
            log.clear();
            COUNTDOWN.set(records());
        }

        private static long records() {
            return 50 + random.nextInt(400);
        }

        /** Whether this subtask takes the next planned failure, of {@code kind}, now. */
        private boolean fire(Kind kind, String where) {
            synchronized (Chaos.class) {
                int i = FIRED.get();
                if (!checkpointedSinceStart || i >= plan.size() || plan.get(i) != kind)
                    return false;
                if (kind == Kind.RECORD && COUNTDOWN.decrementAndGet() > 0) return false;
                FIRED.incrementAndGet();
                COUNTDOWN.set(records());
                log.add(kind + " " + where);
                return true;
            }
        }

        @Override
        public void open(OpenContext openContext) {
            OPENS.incrementAndGet();
        }

        @Override
        public SourceRecord map(SourceRecord r) throws Exception {
            if (FIRED.get() < plan.size()) {
                if (fire(
                        Kind.RECORD,
                        "at record " + r.origin + "/" + r.partition + "@" + r.position)) {
                    throw new IllegalStateException("injected failure while records flow");
                }
                Thread.sleep(1);
            }
            return r;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (fire(Kind.CHECKPOINT, "in checkpoint " + context.getCheckpointId())) {
                throw new IllegalStateException("injected failure while a checkpoint is taken");
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            boolean first = !checkpointedSinceStart;
            checkpointedSinceStart = true;
            if (!first && fire(Kind.AFTER_CHECKPOINT, "after checkpoint " + checkpointId)) {
                throw new IllegalStateException("injected failure after a checkpoint completed");
            }
        }
    }
}
