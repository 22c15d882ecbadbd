package io.treso.jobs.variance;

import io.treso.event.CashAlert;
import io.treso.jobs.runtime.States;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink shell of {@link ScopeVariance}, keyed by scope: holds the baseline slots, the last week
 * of buckets and the episodes in RocksDB, the rules as broadcast state, and judges every bucket end
 * on an event-time timer, so a silent hour still counts (as zero) and the order in which buckets
 * arrive never matters.
 */
public final class VarianceFunction
        extends KeyedBroadcastProcessFunction<String, Bucket, VarianceControl, CashAlert> {
    private static final long serialVersionUID = 1L;
    public static final MapStateDescriptor<String, VarianceControl> CONTROLS =
            new MapStateDescriptor<>("variance-controls", String.class, VarianceControl.class);

    /** Scopes with their own z gauge per subtask; more would make unbounded labels. */
    static final int MAX_GAUGED_SCOPES = 100;

    private final List<VarianceControl> seeds;
    private final long bucketMillis;
    private final long endOfTime;

    private transient ValueState<SlotTable> pooled;
    private transient MapState<Integer, SlotTable> weekSlots;
    private transient MapState<Long, Bucket> buckets;
    private transient MapState<String, EpisodeState> episodes;
    private transient ValueState<Bucket> identity;
    private transient ValueState<TrailingWeek> week;
    private transient MapState<String, WindowSums> periods;
    private transient ValueState<Long> nextEnd;
    private transient MetricGroup metrics;
    private transient Map<VarianceType, Counter> fired;
    private transient Map<String, Double> zByScope;

    /** Seeds and broadcast controls, indexed; rebuilt after a control arrives or a restore. */
    private transient VarianceControls index;

    public VarianceFunction(List<VarianceControl> seeds, long bucketMillis, long endOfTime) {
        this.seeds = new ArrayList<>(seeds);
        this.bucketMillis = bucketMillis;
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        pooled =
                ctx.getState(
                        new ValueStateDescriptor<>("pooled-slots", SlotTableSerializer.INSTANCE));
        weekSlots =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "hour-of-week-slots",
                                IntSerializer.INSTANCE,
                                SlotTableSerializer.INSTANCE));
        buckets =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "buckets", LongSerializer.INSTANCE, BucketSerializer.INSTANCE));
        episodes =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "episodes",
                                StringSerializer.INSTANCE,
                                EpisodeStateSerializer.INSTANCE));
        identity = ctx.getState(new ValueStateDescriptor<>("identity", BucketSerializer.INSTANCE));
        week =
                ctx.getState(
                        new ValueStateDescriptor<>(
                                "trailing-week", TrailingWeekSerializer.INSTANCE));
        periods =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "calendar-windows",
                                StringSerializer.INSTANCE,
                                WindowSumsSerializer.INSTANCE));
        nextEnd = ctx.getState(new ValueStateDescriptor<>("next-end", Long.class));
        metrics = ctx.getMetricGroup().addGroup("treso").addGroup("variance");
        fired = new EnumMap<>(VarianceType.class);
        for (VarianceType t : VarianceType.values()) {
            fired.put(t, metrics.addGroup("type", t.name()).counter("anomalies_fired"));
        }
        zByScope = new HashMap<>();
    }

    /**
     * A bucket arrives when its window closed: every bucket end up to it is complete, so it is
     * judged at once (no buffering), with the empty ones before it.
     */
    @Override
    public void processElement(Bucket b, ReadOnlyContext ctx, Collector<CashAlert> out)
            throws Exception {
        if (nextEnd.value() == null) {
            identity.update(Bucket.empty(b, 0, 0));
            nextEnd.update(b.end);
        }
        judgeUpTo(
                b.end,
                b,
                ctx.getBroadcastState(CONTROLS),
                ctx.getCurrentKey(),
                ctx.timerService(),
                out);
    }

    @Override
    public void processBroadcastElement(VarianceControl c, Context ctx, Collector<CashAlert> out)
            throws Exception {
        ctx.getBroadcastState(CONTROLS).put(c.eventId, c);
        index = null;
    }

    /** Time passed a bucket end with no bucket: judge it (and any before it) as empty. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CashAlert> out)
            throws Exception {
        judgeUpTo(
                timestamp + 1,
                null,
                ctx.getBroadcastState(CONTROLS),
                ctx.getCurrentKey(),
                ctx.timerService(),
                out);
    }

    /**
     * Judges every bucket ending at or before {@code end}, in order: {@code arriving} for its own
     * start, empty ones otherwise; then asks to be woken at the next bucket end, so a silent hour
     * still counts. Nothing past the end of the input is judged.
     */
    private void judgeUpTo(
            long end,
            Bucket arriving,
            ReadOnlyBroadcastState<String, VarianceControl> state,
            String key,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<CashAlert> out)
            throws Exception {
        Long next = nextEnd.value();
        if (next == null || end < next) return; // nothing new (a bucket already judged empty)
        VarianceControls controls = controls(state);
        Bucket id = identity.value();
        ScopeVariance judge =
                new ScopeVariance(
                        store(id),
                        new ScopeVariance.Out() {
                            @Override
                            public void alert(CashAlert a) {
                                if (a.getState() == io.treso.event.AlertState.FIRING) {
                                    fired.get(VarianceType.valueOf(a.getType())).inc();
                                }
                                out.collect(a);
                            }

                            @Override
                            public void z(VarianceType type, double z) {
                                gauge(key, type, z);
                            }
                        });
        while (next <= end && next - 1 <= endOfTime) {
            long start = next - bucketMillis;
            Bucket b =
                    arriving != null && arriving.start == start
                            ? arriving
                            : Bucket.empty(id, start, next);
            judge.onBucketEnd(b, bucketMillis, controls);
            next += bucketMillis;
        }
        nextEnd.update(next);
        if (next - 1 <= endOfTime) {
            timers.registerEventTimeTimer(next - 1);
        }
    }

    private void gauge(String key, VarianceType type, double z) {
        String name = key + "|" + type;
        if (!zByScope.containsKey(name) && zByScope.size() >= MAX_GAUGED_SCOPES) return;
        if (!zByScope.containsKey(name)) {
            String scope = key.substring(key.indexOf('|') + 1);
            metrics.addGroup("scope", scope)
                    .addGroup("detector", type.name())
                    .gauge("z_score", () -> zByScope.getOrDefault(name, 0.0));
        }
        zByScope.put(name, z);
    }

    private VarianceControls controls(ReadOnlyBroadcastState<String, VarianceControl> state)
            throws Exception {
        if (index == null) index = index(seeds, state);
        return index;
    }

    /** The seeds and every broadcast control, indexed (shared with the debit judge). */
    static VarianceControls index(
            List<VarianceControl> seeds, ReadOnlyBroadcastState<String, VarianceControl> state)
            throws Exception {
        List<VarianceControl> all = new ArrayList<>(seeds);
        for (Map.Entry<String, VarianceControl> e : state.immutableEntries()) {
            all.add(e.getValue());
        }
        return VarianceControls.of(all);
    }

    /** State of the current scope; buckets are kept without the names {@code id} holds. */
    private ScopeVariance.Store store(Bucket id) {
        return new ScopeVariance.Store() {
            private SlotTable pooledTable;
            private boolean pooledDirty;
            private final Map<Integer, SlotTable> hours = new HashMap<>();
            private final java.util.Set<Integer> dirtyHours = new java.util.HashSet<>();

            @Override
            public SlotStats get(int key) {
                int hour = SlotKeys.hourOfWeek(key);
                return hour >= 0
                        ? hourTable(hour).get(SlotKeys.metric(key))
                        : pooledTable().get(SlotKeys.pooledIndex(key));
            }

            @Override
            public void put(int key, SlotStats stats) {
                int hour = SlotKeys.hourOfWeek(key);
                if (hour >= 0) {
                    hourTable(hour).set(SlotKeys.metric(key), stats);
                    dirtyHours.add(hour);
                } else {
                    pooledTable().set(SlotKeys.pooledIndex(key), stats);
                    pooledDirty = true;
                }
            }

            private SlotTable pooledTable() {
                if (pooledTable == null) {
                    pooledTable = States.read(() -> pooled.value());
                    if (pooledTable == null) pooledTable = SlotTable.of(SlotKeys.POOLED);
                }
                return pooledTable;
            }

            private SlotTable hourTable(int hour) {
                return hours.computeIfAbsent(
                        hour,
                        h -> {
                            SlotTable t = States.read(() -> weekSlots.get(h));
                            return t != null ? t : SlotTable.of(SlotKeys.METRICS);
                        });
            }

            @Override
            public void flush() {
                if (pooledDirty) States.write(() -> pooled.update(pooledTable));
                for (Integer h : dirtyHours) States.write(() -> weekSlots.put(h, hours.get(h)));
                pooledDirty = false;
                dirtyHours.clear();
            }

            @Override
            public Bucket bucket(long start) {
                Bucket b = States.read(() -> buckets.get(start));
                return b == null ? null : b.withIdentityOf(id);
            }

            @Override
            public void putBucket(Bucket b) {
                States.write(() -> buckets.put(b.start, b.withoutIdentity()));
            }

            @Override
            public void removeBucket(long start) {
                States.write(() -> buckets.remove(start));
            }

            @Override
            public TrailingWeek week() {
                return States.read(() -> week.value());
            }

            @Override
            public void putWeek(TrailingWeek w) {
                States.write(() -> week.update(w));
            }

            @Override
            public WindowSums period(Scale scale) {
                return States.read(() -> periods.get(scale.iso()));
            }

            @Override
            public void putPeriod(Scale scale, WindowSums sums) {
                States.write(() -> periods.put(scale.iso(), sums));
            }

            @Override
            public EpisodeState episode(VarianceType type) {
                return States.read(() -> episodes.get(type.name()));
            }

            @Override
            public void putEpisode(VarianceType type, EpisodeState state) {
                States.write(() -> episodes.put(type.name(), state));
            }
        };
    }
}
