package io.treso.jobs.reconciliation;

import io.treso.event.PayoutEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A payout's lines, once: every status event (IN_TRANSIT, PAID…) repeats them, and sending each
 * copy on to the per-order check doubled its reads. Keyed by payout id; forgets the payout after
 * the dedup horizon.
 */
public final class PayoutLinesOnce extends KeyedProcessFunction<String, PayoutEvent, OrderInput> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long horizonMillis;
    private transient ValueState<Boolean> sent;

    public PayoutLinesOnce(Duration horizon) {
        this.horizonMillis = horizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        sent =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("lines-sent", Boolean.class));
    }

    @Override
    public void processElement(PayoutEvent p, Context ctx, Collector<OrderInput> out)
            throws Exception {
        if (sent.value() != null) return;
        var lines = SettlementLine.of(p);
        if (lines.isEmpty()) return; // FAILED or CANCELLED first: its lines settle nothing
        sent.update(true);
        for (SettlementLine l : lines) out.collect(OrderInput.of(l));
        long t = p.getOccurredAt().toEpochMilli();
        ctx.timerService().registerEventTimeTimer(((t + horizonMillis) / DAY + 1) * DAY + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderInput> out) {
        sent.clear();
    }
}
