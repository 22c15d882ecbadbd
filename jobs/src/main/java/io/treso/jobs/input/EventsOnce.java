package io.treso.jobs.input;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Each event once: a channel that delivers an order event twice must not count a sale twice (the
 * gate passes redeliveries of orders on; each pipeline that sums them drops them). Keyed by a
 * source and the UTC day of the event (a redelivery carries the same), it keeps the 64-bit hashes
 * of the day's event ids and forgets the day after the dedup horizon: one timer per key, not one
 * per event (every timer is written at each checkpoint).
 */
public class EventsOnce<T> extends KeyedProcessFunction<String, T, T> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long horizonMillis;
    private final long endOfTime;
    private final SerializableFunction<T, String> id;
    private final SerializableFunction<T, Long> time;
    private transient MapState<Long, Boolean> seen;

    public EventsOnce(
            Duration horizon,
            long endOfTime,
            SerializableFunction<T, String> id,
            SerializableFunction<T, Long> time) {
        this.horizonMillis = horizon.toMillis();
        this.endOfTime = endOfTime;
        this.id = id;
        this.time = time;
    }

    /** The key of {@code source}'s events of the UTC day of {@code time}. */
    public static String key(String source, long time) {
        return source + "|" + Math.floorDiv(time, DAY);
    }

    @Override
    public void open(OpenContext openContext) {
        seen =
                getRuntimeContext()
                        .getMapState(
                                // A new name: the per-order value state "seen" of earlier
                                // versions is left behind on restore, not misread.
                                new MapStateDescriptor<>("seen-ids", Long.class, Boolean.class));
    }

    @Override
    public void processElement(T e, Context ctx, Collector<T> out) throws Exception {
        long hash = EventIdHashes.hash(id.apply(e));
        if (seen.contains(hash)) return;
        long day = Math.floorDiv(time.apply(e), DAY);
        // The same timestamp for the whole key: registering it again is a no-op.
        ctx.timerService().registerEventTimeTimer((day + 1) * DAY + horizonMillis + 1);
        seen.put(hash, Boolean.TRUE);
        out.collect(e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        // Past the end of a bounded input every day's timer fires at once: forgetting is moot.
        if (timestamp > endOfTime) return;
        seen.clear();
    }
}
