package io.treso.jobs.variance;

import io.treso.event.CashAlert;
import io.treso.jobs.runtime.LastWritten;
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

    /** Scopes whose recent past stays deserialised between judgements (a few KB each). */
    static final int KEPT_SCOPES = 2_048;

    private final List<VarianceControl> seeds;
    private final long bucketMillis;
    private final long endOfTime;

    private transient ValueState<SlotTable> pooled;
    private transient MapState<Integer, SlotTable> weekSlots;
    private transient LastWritten<ScopeRecent> recent;

    /** Where releases up to 0.1.x kept a scope's recent past: read once, then cleared. */
    private transient FormerState former;

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
        recent =
                new LastWritten<>(
                        ctx.getState(
                                new ValueStateDescriptor<>(
                                        "scope-recent", ScopeRecentSerializer.INSTANCE)),
                        KEPT_SCOPES);
        former = new FormerState(ctx);
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
        ScopeRecent r = recent(ctx.getCurrentKey());
        if (r == null) r = new ScopeRecent(b, b.end);
        judgeUpTo(
                r,
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
                recent(ctx.getCurrentKey()),
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
            ScopeRecent r,
            long end,
            Bucket arriving,
            ReadOnlyBroadcastState<String, VarianceControl> state,
            String key,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<CashAlert> out)
            throws Exception {
        if (r == null || end < r.nextEnd) return; // nothing new (a bucket already judged empty)
        if (arriving != null) {
            // The bucket ending at the next end arrived before time passed it: its timer would
            // find nothing left to judge, after reading the scope's state for nothing.
            timers.deleteEventTimeTimer(r.nextEnd - 1);
        }
        VarianceControls controls = controls(state);
        Bucket id = r.identity;
        long next = r.nextEnd;
        ScopeVariance judge =
                new ScopeVariance(
                        store(r),
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
        r.nextEnd = next;
        recent.write(key, r);
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

    /** The current scope's recent past; moved over from the former states on first touch. */
    private ScopeRecent recent(String key) throws Exception {
        ScopeRecent r = recent.read(key);
        if (r == null) {
            r = former.takeOver();
            if (r != null) recent.write(key, r);
        }
        return r;
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

    /** State of the current scope: its slot tables, read as needed, and its recent past. */
    private ScopeVariance.Store store(ScopeRecent r) {
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
            public ScopeRecent recent() {
                return r;
            }
        };
    }

    /**
     * The states 0.1.x kept a scope's recent past in (its names, next end, trailing week, local day
     * and week, episodes and buckets, each its own): a savepoint of that release restores into
     * them, and a scope's first judgement after the restore folds them into one {@link ScopeRecent}
     * and clears them.
     */
    private static final class FormerState {
        private final ValueState<Bucket> identity;
        private final ValueState<Long> nextEnd;
        private final ValueState<TrailingWeek> week;
        private final MapState<String, WindowSums> periods;
        private final MapState<String, EpisodeState> episodes;
        private final MapState<Long, Bucket> buckets;

        FormerState(org.apache.flink.api.common.functions.RuntimeContext ctx) {
            identity =
                    ctx.getState(new ValueStateDescriptor<>("identity", BucketSerializer.INSTANCE));
            nextEnd = ctx.getState(new ValueStateDescriptor<>("next-end", Long.class));
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
            episodes =
                    ctx.getMapState(
                            new MapStateDescriptor<>(
                                    "episodes",
                                    StringSerializer.INSTANCE,
                                    EpisodeStateSerializer.INSTANCE));
            buckets =
                    ctx.getMapState(
                            new MapStateDescriptor<>(
                                    "buckets", LongSerializer.INSTANCE, BucketSerializer.INSTANCE));
        }

        /** The current scope's recent past from the former states, which it clears; or null. */
        ScopeRecent takeOver() throws Exception {
            Long next = nextEnd.value();
            if (next == null) return null;
            ScopeRecent r = new ScopeRecent(identity.value(), next);
            TrailingWeek w = week.value();
            if (w != null) r.trailing = w;
            r.localDay = periods.get(Scale.DAY.iso());
            r.localWeek = periods.get(Scale.WEEK.iso());
            for (Map.Entry<String, EpisodeState> e : episodes.entries()) {
                r.episodes.put(VarianceType.valueOf(e.getKey()), e.getValue());
            }
            for (Bucket b : buckets.values()) r.putBucket(b);
            identity.clear();
            nextEnd.clear();
            week.clear();
            periods.clear();
            episodes.clear();
            buckets.clear();
            return r;
        }
    }
}
