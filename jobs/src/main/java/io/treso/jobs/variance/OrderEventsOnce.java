package io.treso.jobs.variance;

import io.treso.jobs.input.EventIdHashes;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Each order event once: a channel that delivers an event twice must not count a sale twice. It
 * takes the event as its {@link Activity} (a few numbers, not the whole order on the wire). Keyed
 * by store and day of the event ({@link #key}; a redelivery carries the same), it keeps the 64-bit
 * hashes of the day's event ids and forgets the day after the dedup horizon: one timer per
 * store-day, not one per order (every timer is written at each checkpoint).
 */
public final class OrderEventsOnce extends KeyedProcessFunction<String, Activity, Activity> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long horizonMillis;
    private final long endOfTime;
    private transient MapState<Long, Boolean> seen;

    public OrderEventsOnce(Duration horizon, long endOfTime) {
        this.horizonMillis = horizon.toMillis();
        this.endOfTime = endOfTime;
    }

    /** The key a store's events of one UTC day share. */
    public static String key(Activity a) {
        return a.store + "|" + Math.floorDiv(a.occurredAt, DAY);
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
    public void processElement(Activity a, Context ctx, Collector<Activity> out) throws Exception {
        long id = EventIdHashes.hash(a.eventId);
        if (seen.contains(id)) return;
        long day = Math.floorDiv(a.occurredAt, DAY);
        // The same timestamp for the whole key: registering it again is a no-op.
        ctx.timerService().registerEventTimeTimer((day + 1) * DAY + horizonMillis + 1);
        seen.put(id, Boolean.TRUE);
        out.collect(a);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Activity> out) {
        // Past the end of a bounded input every day's timer fires at once: forgetting is moot.
        if (timestamp > endOfTime) return;
        seen.clear();
    }
}
