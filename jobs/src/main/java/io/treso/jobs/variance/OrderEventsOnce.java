package io.treso.jobs.variance;

import io.treso.event.OrderEvent;
import io.treso.jobs.input.EventIdHashes;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Each order event once: a channel that delivers an event twice must not count a sale twice. Keyed
 * by order id, it keeps the 64-bit hashes of the few event ids an order has (capture, refunds,
 * chargeback), and forgets the order after the dedup horizon.
 */
public final class OrderEventsOnce extends KeyedProcessFunction<String, OrderEvent, OrderEvent> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long horizonMillis;
    private transient ValueState<long[]> seen;

    public OrderEventsOnce(Duration horizon) {
        this.horizonMillis = horizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", long[].class));
    }

    @Override
    public void processElement(OrderEvent o, Context ctx, Collector<OrderEvent> out)
            throws Exception {
        long[] ids = seen.value();
        if (ids == null) {
            ids = new long[0];
            long t = o.getOccurredAt().toEpochMilli();
            ctx.timerService().registerEventTimeTimer(((t + horizonMillis) / DAY + 1) * DAY + 1);
        }
        long[] more = EventIdHashes.addIfAbsent(ids, o.getEventId());
        if (more == null) return;
        seen.update(more);
        out.collect(o);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderEvent> out) {
        seen.clear();
    }
}
