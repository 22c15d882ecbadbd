package io.treso.jobs.input;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutStatus;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A payout's first status event that names orders (lines or order ids), once: every status event
 * (IN_TRANSIT, PAID…) repeats them, and sending each copy on doubled the readers' work. A FAILED or
 * CANCELLED first event settles nothing and is skipped. A payout of money only (no lines, no order
 * ids) settles no order, so the order ledger skips it; its fees still count, so the fee detector
 * keeps it. Keyed by payout id; forgets the payout after the dedup horizon.
 */
public final class PayoutsOnce extends KeyedProcessFunction<String, PayoutEvent, PayoutEvent> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long horizonMillis;
    private final boolean moneyOnly;
    private transient ValueState<Boolean> sent;

    private PayoutsOnce(Duration horizon, boolean moneyOnly) {
        this.horizonMillis = horizon.toMillis();
        this.moneyOnly = moneyOnly;
    }

    /** Payouts that name the orders they settle. */
    public static PayoutsOnce namingOrders(Duration horizon) {
        return new PayoutsOnce(horizon, false);
    }

    /** Every payout that pays out, money-only ones included. */
    public static PayoutsOnce all(Duration horizon) {
        return new PayoutsOnce(horizon, true);
    }

    @Override
    public void open(OpenContext openContext) {
        sent =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("lines-sent", Boolean.class));
    }

    @Override
    public void processElement(PayoutEvent p, Context ctx, Collector<PayoutEvent> out)
            throws Exception {
        if (sent.value() != null) return;
        if (p.getStatus() == PayoutStatus.FAILED
                || p.getStatus() == PayoutStatus.CANCELLED
                || (!moneyOnly && p.getLines().isEmpty() && p.getOrderIds().isEmpty())) {
            return;
        }
        sent.update(true);
        out.collect(p);
        long t = p.getOccurredAt().toEpochMilli();
        ctx.timerService().registerEventTimeTimer(((t + horizonMillis) / DAY + 1) * DAY + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PayoutEvent> out) {
        sent.clear();
    }
}
