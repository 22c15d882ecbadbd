package io.treso.jobs.forecast;

import io.treso.event.CashAlert;
import io.treso.event.ForecastPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The business's forecast, under one key (see {@link ForecastEvent}). Captures go straight into
 * their sales series (sums do not care about order); every other event waits for the end of its UTC
 * day, and a timer there applies the day's events sorted by time, kind and id, so what each
 * forecast sees does not depend on how the network interleaved its inputs. The day closes the sales
 * models, and a day on which an end-of-day statement arrived makes a forecast from it. Past the end
 * of a bounded input nothing fires, so replay and Kafka agree.
 */
public final class ForecastFunction
        extends KeyedProcessFunction<String, ForecastEvent, ForecastPoint> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CashAlert> ALERTS =
            new OutputTag<>("forecast-alerts", TypeInformation.of(CashAlert.class));

    static final long DAY = 86_400_000L;

    static final Comparator<ForecastEvent> ORDER =
            Comparator.comparingLong((ForecastEvent e) -> e.time)
                    .thenComparing(e -> e.kind)
                    .thenComparing(e -> e.id);

    private final List<ForecastEvent> seeds;
    private final long fallbackLagDays;
    private final long endOfTime;

    private transient ValueState<ForecastBook> book;
    private transient MapState<String, SalesSeries> series;
    private transient ListState<ForecastEvent> waiting;

    /**
     * @param seeds the rules read before data flows (thresholds, zones), for every currency
     */
    public ForecastFunction(List<ForecastEvent> seeds, long fallbackLagDays, long endOfTime) {
        this.seeds = List.copyOf(seeds);
        this.fallbackLagDays = fallbackLagDays;
        this.endOfTime = endOfTime;
    }

    /** The end of the UTC day an instant belongs to; midnight itself ends the day before. */
    static long dayEnd(long time) {
        return Math.floorDiv(time - 1, DAY) * DAY + DAY;
    }

    static int day(long time) {
        return (int) Math.floorDiv(time - 1, DAY);
    }

    @Override
    public void open(OpenContext openContext) {
        book =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "forecast-book", ForecastBookSerializer.INSTANCE));
        series =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "forecast-sales",
                                        Types.STRING,
                                        SalesSeriesSerializer.INSTANCE.typeInformation(
                                                SalesSeries.class)));
        waiting =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "forecast-waiting", ForecastEventSerializer.INSTANCE));
    }

    @Override
    public void processElement(ForecastEvent e, Context ctx, Collector<ForecastPoint> out)
            throws Exception {
        long end = dayEnd(e.time);
        if (e.kind == ForecastEvent.Kind.CAPTURE) {
            SalesSeries s = series.get(e.series);
            if (s == null) s = SalesSeries.of(e.series, e.currency);
            s.capture(day(e.time), e.amountMinor);
            if (s.timer < end) {
                ctx.timerService().registerEventTimeTimer(end);
                s.timer = end;
            }
            series.put(e.series, s);
            return;
        }
        waiting.add(e);
        ctx.timerService().registerEventTimeTimer(end);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastPoint> out)
            throws Exception {
        if (timestamp > endOfTime) return;
        ForecastBook b = book.value();
        if (b == null) {
            b = new ForecastBook();
            for (ForecastEvent s : seeds) b.apply(s);
        }
        List<ForecastEvent> due = new ArrayList<>(), later = new ArrayList<>();
        for (ForecastEvent e : waiting.get()) (e.time <= timestamp ? due : later).add(e);
        due.sort(ORDER);
        waiting.update(later);
        for (ForecastEvent e : due) {
            if (b.apply(e) && e.kind == ForecastEvent.Kind.PAYOUT) {
                SalesSeries s = series.get(e.series);
                if (s == null) s = SalesSeries.of(e.series, e.currency);
                s.payout(day(e.time), e.amountMinor, e.otherMinor, e.day, e.account);
                series.put(e.series, s);
            }
        }
        int closed = day(timestamp);
        List<SalesSeries> all = new ArrayList<>();
        for (Map.Entry<String, SalesSeries> entry : series.entries()) {
            SalesSeries s = entry.getValue();
            s.closeThrough(closed);
            all.add(s);
        }
        for (SalesSeries s : all) series.put(s.key, s);
        all.sort(Comparator.comparing(s -> s.key));
        var result = b.forecast(all, fallbackLagDays);
        book.update(b);
        if (result.isEmpty()) return;
        result.get().points().forEach(out::collect);
        result.get().alerts().forEach(a -> ctx.output(ALERTS, a));
    }
}
