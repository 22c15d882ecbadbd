package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashAlert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The detector operator with RocksDB state, broadcast rules and event-time timers; no cluster. */
class VarianceFunctionHarnessTest {
    static final long HOUR = SyntheticHours.HOUR;
    static final long T0 = Instant.parse("2026-03-16T00:00:00Z").toEpochMilli();
    static final String SCOPE = "store-1/SHOPIFY";

    final SyntheticHours hours = new SyntheticHours(5);

    static KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> harness()
            throws Exception {
        return harness(false);
    }

    /** Heap state for the behaviour tests; RocksDB where its size is what is measured. */
    static KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> harness(
            boolean rocksDb) throws Exception {
        var h = unopened(rocksDb);
        h.open();
        return h;
    }

    static KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> unopened(
            boolean rocksDb) throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new VarianceFunction(List.of(), HOUR, Long.MAX_VALUE),
                                List.of(VarianceFunction.CONTROLS)),
                        Bucket::key,
                        Types.STRING,
                        1,
                        1,
                        0);
        if (rocksDb) h.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        return h;
    }

    void feed(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h,
            long fromHour,
            int count,
            double factor)
            throws Exception {
        for (long i = fromHour; i < fromHour + count; i++) {
            Bucket b = hours.hour(SCOPE, "store-1", T0 + i * HOUR, factor, 1);
            h.processElement(b, b.end - 1);
            h.watermark(b.end - 1);
        }
    }

    static List<String> edges(List<CashAlert> out, String type) {
        return out.stream()
                .filter(a -> a.getType().equals(type))
                .map(a -> a.getState().name())
                .toList();
    }

    @Test
    void aRuleBroadcastAtRunTimeAppliesWithoutARestart() throws Exception {
        try (var h = harness()) {
            int warm = 2 * 7 * 24;
            feed(h, 0, warm, 1);
            h.processBroadcastElement(
                    ScopeVarianceTest.rule(
                            "off", SCOPE, T0 + warm * HOUR, Map.of("detectors", "SALES_SPIKE")),
                    T0 + warm * HOUR);
            feed(h, warm, 6, 0.4);
            feed(h, warm + 6, 24, 1);
            assertEquals(List.of(), edges(h.extractOutputValues(), "SALES_DROP"), "off");
            long on = T0 + (warm + 30) * HOUR;
            h.processBroadcastElement(
                    ScopeVarianceTest.rule("on", SCOPE, on, Map.of("detectors", "SALES_DROP")), on);
            feed(h, warm + 30, 6, 0.4);
            assertEquals(List.of("FIRING"), edges(h.extractOutputValues(), "SALES_DROP"), "on");
        }
    }

    /** A bucket that arrives takes its hour's timer with it: one timer per scope, always. */
    @Test
    void anArrivingBucketCancelsTheTimerThatWouldHaveJudgedItsHourEmpty() throws Exception {
        try (var h = harness()) {
            feed(h, 0, 3, 1);
            assertEquals(1, h.numEventTimeTimers(), "the next hour's");
            Bucket b = hours.hour(SCOPE, "store-1", T0 + 3 * HOUR, 1, 1);
            h.processElement(b, b.end - 1);
            assertEquals(1, h.numEventTimeTimers(), "the hour after, not this one's too");
        }
    }

    @Test
    void silentHoursCountAsZeroSales() throws Exception {
        try (var h = harness()) {
            int warm = 2 * 7 * 24;
            feed(h, 0, warm, 1);
            // The store stops selling: no bucket arrives, only time passes.
            h.watermark(T0 + (warm + 6) * HOUR - 1);
            assertEquals(List.of("FIRING"), edges(h.extractOutputValues(), "SALES_DROP"));
        }
    }

    /**
     * A scope keeps a fixed number of entries (168 hour-of-week slot tables, one pooled table, 192
     * buckets, its local day and week so far, its episodes) however long it runs; the day keeps at
     * most a day of its buckets' figures. RocksDB's snapshot also carries versions not yet
     * compacted away, so its size is printed beside the live entries.
     */
    @Test
    void aScopesStateStaysBoundedFrom30To90Days() throws Exception {
        try (var h = harness(true)) {
            feed(h, 0, 30 * 24, 1);
            long[] at30 = entries(h);
            long snapshot30 = h.snapshot(1, 0).getStateSize();
            feed(h, 30 * 24, 60 * 24, 1);
            long[] at90 = entries(h);
            long snapshot90 = h.snapshot(2, 0).getStateSize();
            System.out.printf(
                    "variance state of one store scope: %d hour-of-week slot tables + %d buckets"
                            + " + %d calendar windows (the day holding %d buckets) after 30 days,"
                            + " %d + %d + %d (%d) after 90; RocksDB snapshot %d bytes, then %d%n",
                    at30[0],
                    at30[1],
                    at30[2],
                    at30[3],
                    at90[0],
                    at90[1],
                    at90[2],
                    at90[3],
                    snapshot30,
                    snapshot90);
            assertEquals(168, at30[0]);
            assertEquals(at30[0], at90[0]);
            assertEquals(at30[1], at90[1]);
            assertTrue(at90[1] <= 8 * 24, "a week of buckets and a day of margin");
            assertEquals(2, at30[2], "the local day and week so far");
            assertEquals(at30[2], at90[2]);
            assertTrue(at90[3] <= 25, "a day's buckets at most (25 on a DST day)");
        }
    }

    /**
     * Releases up to 0.1.x kept a scope's recent past in six states; a savepoint of theirs restores
     * into them. The scope's next judgement folds them into one value, clears them, and goes on
     * exactly as a scope that never stopped: the same alerts, the same state.
     */
    @Test
    void aScopeKeptInTheFormerStatesGoesOnExactly() throws Exception {
        SyntheticHours shape = new SyntheticHours(7);
        List<Bucket> month = new java.util.ArrayList<>();
        for (long i = 0; i < 24 * 24; i++) {
            month.add(shape.hour(SCOPE, "store-1", T0 + i * HOUR, i >= 20 * 24 + 8 ? 0.3 : 1, 1));
        }
        try (var kept = harness(true);
                var before = harness(true)) {
            feedAll(kept, month.subList(0, 20 * 24));
            feedAll(before, month.subList(0, 20 * 24));
            asFormerStates(before);
            // As a savepoint of 0.1.x restores: a new function, the former states only.
            try (var moved = restored(before.snapshot(1, 20 * 24 * HOUR))) {
                feedAll(kept, month.subList(20 * 24, month.size()));
                feedAll(moved, month.subList(20 * 24, month.size()));
                List<String> drops = edges(kept.extractOutputValues(), "SALES_DROP");
                assertEquals(List.of("FIRING"), drops, "the planted drop fires");
                List<CashAlert> both = new java.util.ArrayList<>(before.extractOutputValues());
                both.addAll(moved.extractOutputValues());
                assertEquals(kept.extractOutputValues().toString(), both.toString());
                assertTrue(
                        java.util.Arrays.equals(bytes(recentOf(kept)), bytes(recentOf(moved))),
                        "the same recent past, byte for byte");
                assertEquals(
                        null,
                        former(moved, "next-end", LongSerializer.INSTANCE).value(),
                        "cleared");
            }
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert>
            restored(org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot)
                    throws Exception {
        var h = unopened(true);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    private static void feedAll(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h,
            List<Bucket> buckets)
            throws Exception {
        for (Bucket b : buckets) {
            h.processElement(BucketSerializer.INSTANCE.copy(b), b.end - 1);
            h.watermark(b.end - 1);
        }
    }

    /** Moves the scope's recent past into the states 0.1.x kept it in, as a restore would. */
    private static void asFormerStates(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h)
            throws Exception {
        ScopeRecent r = recentOf(h);
        former(h, "identity", BucketSerializer.INSTANCE).update(r.identity);
        former(h, "next-end", LongSerializer.INSTANCE).update(r.nextEnd);
        former(h, "trailing-week", TrailingWeekSerializer.INSTANCE).update(r.trailing);
        var periods =
                formerMap(
                        h,
                        "calendar-windows",
                        StringSerializer.INSTANCE,
                        WindowSumsSerializer.INSTANCE);
        periods.put(Scale.DAY.iso(), r.localDay);
        periods.put(Scale.WEEK.iso(), r.localWeek);
        var episodes =
                formerMap(
                        h, "episodes", StringSerializer.INSTANCE, EpisodeStateSerializer.INSTANCE);
        for (var e : r.episodes.entrySet()) episodes.put(e.getKey().name(), e.getValue());
        var buckets = formerMap(h, "buckets", LongSerializer.INSTANCE, BucketSerializer.INSTANCE);
        for (Bucket b : r.buckets) buckets.put(b.start, b);
        state(h, new ValueStateDescriptor<>("scope-recent", ScopeRecentSerializer.INSTANCE))
                .clear();
    }

    private static byte[] bytes(ScopeRecent r) throws java.io.IOException {
        var out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
        ScopeRecentSerializer.INSTANCE.serialize(r, out);
        return out.getCopyOfBuffer();
    }

    private static ScopeRecent recentOf(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h)
            throws Exception {
        return state(h, new ValueStateDescriptor<>("scope-recent", ScopeRecentSerializer.INSTANCE))
                .value();
    }

    private static <T> ValueState<T> former(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h,
            String name,
            TypeSerializer<T> serializer)
            throws Exception {
        return state(h, new ValueStateDescriptor<>(name, serializer));
    }

    private static <K, V> MapState<K, V> formerMap(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h,
            String name,
            TypeSerializer<K> keys,
            TypeSerializer<V> values)
            throws Exception {
        var op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        op.setCurrentKey(Bucket.STORE + "|" + SCOPE);
        return op.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(name, keys, values));
    }

    private static <T> ValueState<T> state(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h,
            ValueStateDescriptor<T> descriptor)
            throws Exception {
        var op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        op.setCurrentKey(Bucket.STORE + "|" + SCOPE);
        return op.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    private static long[] entries(
            KeyedBroadcastOperatorTestHarness<String, Bucket, VarianceControl, CashAlert> h)
            throws Exception {
        var op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        op.setCurrentKey(Bucket.STORE + "|" + SCOPE);
        var backend = op.getKeyedStateBackend();
        MapState<Integer, SlotTable> slots =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(
                                "hour-of-week-slots", Integer.class, SlotTable.class));
        ValueState<ScopeRecent> recent =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("scope-recent", ScopeRecentSerializer.INSTANCE));
        long s = 0;
        for (Integer k : slots.keys()) s++;
        ScopeRecent r = recent.value();
        long b = r.buckets.size();
        long p = (r.localDay != null ? 1 : 0) + (r.localWeek != null ? 1 : 0);
        long dayBuckets = r.localDay != null ? r.localDay.perBucket[0].length : 0;
        return new long[] {s, b, p, dayBuckets};
    }
}
