package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.jobs.reconciliation.OrderInput;
import io.treso.jobs.reconciliation.OrderInputSerializer;
import io.treso.jobs.reconciliation.OrderState;
import io.treso.jobs.reconciliation.OrderStateSerializer;
import io.treso.jobs.reconciliation.PspLedgerState;
import io.treso.jobs.reconciliation.PspLedgerStateSerializer;
import io.treso.jobs.reconciliation.SettlementLine;
import io.treso.jobs.reconciliation.SettlementLineSerializer;
import io.treso.jobs.reconciliation.TrackedPayout;
import io.treso.jobs.reconciliation.TrackedPayoutSerializer;
import io.treso.jobs.variance.Activity;
import io.treso.jobs.variance.ActivitySerializer;
import io.treso.jobs.variance.Bucket;
import io.treso.jobs.variance.BucketSerializer;
import io.treso.jobs.variance.EpisodeState;
import io.treso.jobs.variance.EpisodeStateSerializer;
import io.treso.jobs.variance.SlotTable;
import io.treso.jobs.variance.SlotTableSerializer;
import io.treso.jobs.variance.TrailingWeek;
import io.treso.jobs.variance.TrailingWeekSerializer;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compact serializers (state and wire) against Flink's POJO serializer, which stays the
 * reference: every public field must survive (a field added to a class and not to its serializer
 * fails here), nulls too, and state a POJO serializer wrote must restore through the compact one.
 */
class CompactSerializerTest {
    record Case(Class<?> type, CompactSerializer<?> serializer) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(Bucket.class, BucketSerializer.INSTANCE),
                new Case(SlotTable.class, SlotTableSerializer.INSTANCE),
                new Case(TrailingWeek.class, TrailingWeekSerializer.INSTANCE),
                new Case(EpisodeState.class, EpisodeStateSerializer.INSTANCE),
                new Case(OrderState.class, OrderStateSerializer.INSTANCE),
                new Case(SettlementLine.class, SettlementLineSerializer.INSTANCE),
                new Case(OrderInput.class, OrderInputSerializer.INSTANCE),
                new Case(Activity.class, ActivitySerializer.INSTANCE),
                new Case(PspLedgerState.class, PspLedgerStateSerializer.INSTANCE),
                new Case(TrackedPayout.class, TrackedPayoutSerializer.INSTANCE));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyFieldSurvivesARoundTrip(Case c) throws Exception {
        Object value = filled(c.type(), new SplittableRandom(7));
        Object back = roundTrip(c.serializer(), value);
        assertNotSame(value, back);
        assertArrayEquals(pojoBytes(c.type(), value), pojoBytes(c.type(), back));
        assertArrayEquals(
                pojoBytes(c.type(), value), pojoBytes(c.type(), copy(c.serializer(), value)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void nullStringsAndArraysSurviveARoundTrip(Case c) throws Exception {
        Object value = c.type().getConstructor().newInstance();
        for (Field f : fields(c.type())) {
            if (!f.getType().isPrimitive()) f.set(value, null);
        }
        Object back = roundTrip(c.serializer(), value);
        assertArrayEquals(pojoBytes(c.type(), value), pojoBytes(c.type(), back));
    }

    /** The values a filled instance carries really differ from a fresh one's (else: no test). */
    @ParameterizedTest
    @MethodSource("cases")
    void theFillerSetsEveryField(Case c) throws Exception {
        Object fresh = c.type().getConstructor().newInstance();
        Object value = filled(c.type(), new SplittableRandom(7));
        for (Field f : fields(c.type())) {
            assertTrue(
                    !String.valueOf(f.get(fresh)).equals(String.valueOf(f.get(value))),
                    f.getName());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aCheckpointedSnapshotRestoresItsOwnSerializerMigratesPojoStateAndRefusesOthers()
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                out, BucketSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertEquals(BucketSerializer.INSTANCE, restored.restoreSerializer());
        TypeSerializerSnapshot current = BucketSerializer.INSTANCE.snapshotConfiguration();
        assertTrue(current.resolveSchemaCompatibility(restored).isCompatibleAsIs());
        assertTrue(
                current.resolveSchemaCompatibility(
                                SlotTableSerializer.INSTANCE.snapshotConfiguration())
                        .isIncompatible());
        TypeSerializerSnapshot pojo =
                TypeInformation.of(Bucket.class)
                        .createSerializer(new SerializerConfigImpl())
                        .snapshotConfiguration();
        assertTrue(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration());
    }

    @Test
    void stateWrittenByThePojoSerializerRestoresIntoTheCompactOne() throws Exception {
        Object order = filled(OrderState.class, new SplittableRandom(11));
        Object bucket = filled(Bucket.class, new SplittableRandom(12));
        List<String> before;
        OperatorSubtaskState snapshot;
        try (var h = harness(new StateKeeper(false))) {
            h.open();
            h.processElement(new StreamRecord<>("write"));
            h.processElement(new StreamRecord<>("read"));
            before = drain(h);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(new StateKeeper(true))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>("read"));
            List<String> after = drain(h);
            assertEquals(
                    List.of(
                            hex(pojoBytes(OrderState.class, order)),
                            hex(pojoBytes(Bucket.class, bucket))),
                    before);
            assertEquals(before, after);
        }
    }

    /** Keeps an order and a bucket, with the POJO serializer or the compact ones. */
    static final class StateKeeper extends KeyedProcessFunction<String, String, String> {
        private final boolean compact;
        private transient ValueState<OrderState> order;
        private transient MapState<Long, Bucket> buckets;

        StateKeeper(boolean compact) {
            this.compact = compact;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            order =
                    getRuntimeContext()
                            .getState(
                                    compact
                                            ? new ValueStateDescriptor<>(
                                                    "order", OrderStateSerializer.INSTANCE)
                                            : new ValueStateDescriptor<>(
                                                    "order", OrderState.class));
            buckets =
                    getRuntimeContext()
                            .getMapState(
                                    compact
                                            ? new MapStateDescriptor<>(
                                                    "buckets",
                                                    LongSerializer.INSTANCE,
                                                    BucketSerializer.INSTANCE)
                                            : new MapStateDescriptor<>(
                                                    "buckets", Long.class, Bucket.class));
        }

        @Override
        public void processElement(String cmd, Context ctx, Collector<String> out)
                throws Exception {
            if (cmd.equals("write")) {
                order.update((OrderState) filled(OrderState.class, new SplittableRandom(11)));
                buckets.put(3_600_000L, (Bucket) filled(Bucket.class, new SplittableRandom(12)));
            } else {
                out.collect(hex(pojoBytes(OrderState.class, order.value())));
                out.collect(hex(pojoBytes(Bucket.class, buckets.get(3_600_000L))));
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            StateKeeper fn) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn), cmd -> "order-1", Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static List<String> drain(
            KeyedOneInputStreamOperatorTestHarness<String, String, String> h) {
        List<String> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    /** An instance whose every public field differs from its default, nested lines included. */
    static Object filled(Class<?> type, SplittableRandom random) {
        try {
            Object o = type.getConstructor().newInstance();
            for (Field f : fields(type)) {
                // A flag is set to what its fresh instance does not hold (some default to true).
                f.set(
                        o,
                        f.getType() == boolean.class
                                ? !(Boolean) f.get(o)
                                : value(f.getType(), f.getName(), random));
            }
            return o;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(Class<?> t, String name, SplittableRandom random) {
        if (t == long.class) return random.nextLong(1, Long.MAX_VALUE - 1);
        if (t == int.class) return random.nextInt(1, Integer.MAX_VALUE);
        if (t == double.class) return random.nextDouble() + 0.5;
        if (t == String.class) return name + "-" + random.nextInt(1000) + "-é€";
        if (t.isArray()) {
            Object a = Array.newInstance(t.getComponentType(), 3);
            for (int i = 0; i < 3; i++) {
                Array.set(a, i, value(t.getComponentType(), name + i, random));
            }
            return a;
        }
        return filled(t, random);
    }

    private static List<Field> fields(Class<?> type) {
        return Stream.of(type.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] pojoBytes(Class<?> type, Object value) throws Exception {
        TypeSerializer s = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        assertInstanceOf(PojoSerializer.class, s, type + " must stay a POJO");
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object roundTrip(CompactSerializer s, Object value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Object back = s.deserialize(in);
        assertEquals(0, in.available(), "bytes left over");
        return back;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object copy(CompactSerializer s, Object value) {
        return s.copy(value);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
