package io.treso.jobs.position;

import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the positions into the daily closing series ({@link DailyCloses}), keyed by scope and
 * currency: a timer at each midnight closes the day, and goes on to the next while the scope
 * carries. Past the end of a bounded input nothing closes, so replay and Kafka agree.
 */
public final class DailyCloseFunction
        extends KeyedProcessFunction<String, CashPosition, DailyPosition> {
    private static final long serialVersionUID = 1L;

    private final long endOfTime;
    private transient ValueState<DailyBook> state;

    public DailyCloseFunction(long endOfTime) {
        this.endOfTime = endOfTime;
    }

    /**
     * The daily series: the accounts' own closes, and those this function takes from the {@code
     * psp:}, {@code receivables:} and {@code flow:} positions.
     */
    public static DataStream<DailyPosition> of(
            DataStream<DailyPosition> accountCloses,
            DataStream<CashPosition> positions,
            long endOfTime) {
        return accountCloses.union(closes(positions, endOfTime));
    }

    private static DataStream<DailyPosition> closes(
            DataStream<CashPosition> positions, long endOfTime) {
        return positions
                .filter(p -> DailyCloses.hasSeries(p.getScope()))
                .uid("daily-positions-scopes")
                .name("scopes with a daily series")
                .keyBy(p -> p.getScope() + "|" + p.getCurrency())
                .process(new DailyCloseFunction(endOfTime))
                .uid("daily-positions")
                .name("daily closes");
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "daily-book", TypeInformation.of(DailyBook.class)));
    }

    @Override
    public void processElement(CashPosition p, Context ctx, Collector<DailyPosition> out)
            throws Exception {
        DailyBook b = state.value();
        if (b == null) b = DailyCloses.book(p.getScope(), p.getCurrency());
        long close = new DailyCloses(b).add(p);
        state.update(b);
        if (close <= endOfTime) ctx.timerService().registerEventTimeTimer(close);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DailyPosition> out)
            throws Exception {
        if (timestamp > endOfTime) return;
        DailyBook b = state.value();
        if (b == null) return;
        DailyCloses closes = new DailyCloses(b);
        closes.close(timestamp).forEach(out::collect);
        state.update(b);
        // A past midnight (a late position's day) continues from the front, not day by day.
        long next = Math.max(timestamp, DailyCloses.closeOf(b.lastClosedDay)) + DailyCloses.DAY;
        if (closes.continues() && next <= endOfTime) {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }
}
