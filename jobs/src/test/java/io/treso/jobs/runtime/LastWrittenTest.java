package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A running count per key through {@link LastWritten}, on RocksDB and on the heap: the same counts
 * either way, through evictions and a restore; on RocksDB each key is deserialised once while it
 * stays kept, not once per event.
 */
class LastWrittenTest {
    /** A mutable count, as the functions' books and scopes are mutable. */
    public static final class Count {
        long n;
    }

    /** Counts how often state is deserialised. */
    public static final class CountSerializer extends CompactSerializer<Count> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();
        static final AtomicInteger WRITES = new AtomicInteger();

        @Override
        public Count createInstance() {
            return new Count();
        }

        @Override
        protected void write(Count c, DataOutputView out) throws IOException {
            WRITES.incrementAndGet();
            out.writeLong(c.n);
        }

        @Override
        protected Count read(DataInputView in) throws IOException {
            READS.incrementAndGet();
            Count c = new Count();
            c.n = in.readLong();
            return c;
        }
    }

    static class Counting extends KeyedProcessFunction<String, String, String> {
        transient LastWritten<Count> counts;

        @Override
        public void open(OpenContext ctx) {
            counts =
                    new LastWritten<>(
                            getRuntimeContext()
                                    .getState(
                                            new ValueStateDescriptor<>(
                                                    "count", new CountSerializer())),
                            2);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out)
                throws Exception {
            Count c = counts.read(key);
            if (c == null) c = new Count();
            c.n++;
            counts.write(key, c);
            out.collect(key + "=" + c.n);
        }
    }

    /** One key for every event, its writes deferred to the checkpoint. */
    static final class CountingOneKey extends Counting implements CheckpointedFunction {
        @Override
        public void open(OpenContext ctx) {
            counts =
                    LastWritten.ofOneKey(
                            getRuntimeContext()
                                    .getState(
                                            new ValueStateDescriptor<>(
                                                    "count", new CountSerializer())));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            counts.flush();
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(boolean rocksDb)
            throws Exception {
        return harness(rocksDb, new Counting());
    }

    static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            boolean rocksDb, Counting function) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), k -> k, Types.STRING);
        if (rocksDb) h.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        return h;
    }

    /** Three keys through a memory of two: the third evicts the least recently used. */
    static final List<String> KEYS = List.of("a", "a", "b", "a", "c", "b", "a", "a", "c", "c");

    List<String> run(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            h.open();
            for (String k : KEYS.subList(0, 6)) h.processElement(k, 0);
            var snapshot = h.snapshot(1, 0);
            List<String> before = h.extractOutputValues();
            try (var restored = harness(rocksDb)) {
                restored.initializeState(snapshot);
                restored.open();
                for (String k : KEYS.subList(6, KEYS.size())) restored.processElement(k, 0);
                var all = new java.util.ArrayList<>(before);
                all.addAll(restored.extractOutputValues());
                return all;
            }
        }
    }

    @Test
    void countsAreTheSameOnBothBackendsThroughEvictionAndRestore() throws Exception {
        List<String> expected =
                List.of("a=1", "a=2", "b=1", "a=3", "c=1", "b=2", "a=4", "a=5", "c=2", "c=3");
        assertEquals(expected, run(false), "heap");
        CountSerializer.READS.set(0);
        assertEquals(expected, run(true), "RocksDB");
        // RocksDB: each key is read once after it is first written (and once more to learn that
        // reads copy), then again only when it was evicted or after the restore. Without the
        // kept values every event after a key's first would read it: 7 of 10 here.
        assertTrue(CountSerializer.READS.get() < 7, "reads: " + CountSerializer.READS.get());
    }

    /**
     * One key, writes deferred: the counts go on exactly through two checkpoints and a restore from
     * the second (state must be current at each), and RocksDB serialises the value about once per
     * checkpoint, not once per event.
     */
    @Test
    void aDeferredValueIsCurrentAtEveryCheckpoint() throws Exception {
        for (boolean rocksDb : new boolean[] {false, true}) {
            List<String> out = new java.util.ArrayList<>();
            CountSerializer.WRITES.set(0);
            try (var h = harness(rocksDb, new CountingOneKey())) {
                h.open();
                for (int i = 0; i < 10; i++) h.processElement("all", 0);
                h.snapshot(1, 0);
                for (int i = 0; i < 10; i++) h.processElement("all", 0);
                var snapshot = h.snapshot(2, 0);
                // Events after the checkpoint are lost with the failure: the restore replays them.
                h.processElement("all", 0);
                out.addAll(h.extractOutputValues().subList(0, 20));
                try (var restored = harness(rocksDb, new CountingOneKey())) {
                    restored.initializeState(snapshot);
                    restored.open();
                    for (int i = 0; i < 5; i++) restored.processElement("all", 0);
                    out.addAll(restored.extractOutputValues());
                }
            }
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 1; i <= 25; i++) expected.add("all=" + i);
            assertEquals(expected, out, rocksDb ? "RocksDB" : "heap");
            if (rocksDb) {
                // The first write (nothing stored to learn from), one per checkpoint, and the
                // snapshots' own; 26 events would be 26 writes without deferring.
                assertTrue(
                        CountSerializer.WRITES.get() < 10,
                        "writes: " + CountSerializer.WRITES.get());
            }
        }
    }

    /** A deferred value is written under the current key: a second key is refused, not mixed. */
    @Test
    void aDeferredValueRefusesASecondKey() throws Exception {
        try (var h = harness(true, new CountingOneKey())) {
            h.open();
            h.processElement("all", 0);
            h.processElement("all", 0);
            Exception e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            Exception.class, () -> h.processElement("other", 0));
            assertTrue(
                    org.apache.flink.util.ExceptionUtils.findThrowableWithMessage(
                                    e, "a deferred value has one key")
                            .isPresent(),
                    () -> org.apache.flink.util.ExceptionUtils.stringifyException(e));
        }
    }
}
