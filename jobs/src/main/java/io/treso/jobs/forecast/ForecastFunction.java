package io.treso.jobs.forecast;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ForecastPoint;
import io.treso.jobs.runtime.LastWritten;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The business's forecast, under one key (see {@link ForecastEvent}). Two clocks meet here. The
 * streams other than the bank's advance with the watermark: captures go straight into their sales
 * series (sums do not care about order), everything else waits for the end of its UTC day, where a
 * timer applies the day's events sorted by time, kind and id, closes the sales models and takes the
 * day's {@link DaySnapshot}. The bank advances on its own statements, which arrive days late: its
 * lines and closes are taken in the order each account's stream gave them, and an end-of-day close
 * makes its forecasts from the snapshot of its day, as soon as both are there. So no forecast
 * depends on how far one clock had run ahead of the other. Past the end of a bounded input nothing
 * fires, so replay and Kafka agree.
 */
public final class ForecastFunction
        extends KeyedProcessFunction<String, ForecastEvent, ForecastPoint>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CashAlert> ALERTS =
            new OutputTag<>("forecast-alerts", TypeInformation.of(CashAlert.class));

    /** The accrued VAT of each period not yet due, as {@code vat:<entity>:<period>} positions. */
    public static final OutputTag<CashPosition> VAT_POSITIONS =
            new OutputTag<>("forecast-vat", TypeInformation.of(CashPosition.class));

    static final long DAY = 86_400_000L;

    static final Comparator<ForecastEvent> ORDER =
            Comparator.comparingLong((ForecastEvent e) -> e.time)
                    .thenComparing(e -> e.kind)
                    .thenComparing(e -> e.id);

    private final List<ForecastEvent> seeds;
    private final long fallbackLagDays;
    private final long endOfTime;

    /** The function's one key: the book covers every account. */
    public static final String KEY = "all";

    private transient LastWritten<ForecastBook> book;
    private transient MapState<String, SalesSeries> series;
    private transient ListState<ForecastEvent> waiting;
    private transient MapState<Integer, DaySnapshot> snapshots;

    /** Days a snapshot waits for its close: a statement later than that starts from a newer one. */
    static final int SNAPSHOT_DAYS_KEPT = 10;

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
        // The book is a few hundred KB (every open payout, a month of bank line ids): read back
        // and rewritten for each bank line and day, it was most of the forecast's time on RocksDB.
        // Its one key lets the write wait for the checkpoint (snapshotState).
        book =
                LastWritten.ofOneKey(
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "forecast-book", ForecastBookSerializer.INSTANCE)));
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
        snapshots =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "forecast-snapshots",
                                        Types.INT,
                                        DaySnapshotSerializer.INSTANCE.typeInformation(
                                                DaySnapshot.class)));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // Keyed state only; the book is read back on its first use.
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        book.flush();
    }

    private ForecastBook book() throws Exception {
        ForecastBook b = book.read(KEY);
        if (b == null) {
            b = new ForecastBook();
            for (ForecastEvent s : seeds) b.apply(s);
        }
        return b;
    }

    private void keep(ForecastBook b) throws Exception {
        book.write(KEY, b);
    }

    @Override
    public void processElement(ForecastEvent e, Context ctx, Collector<ForecastPoint> out)
            throws Exception {
        long end = dayEnd(e.time);
        switch (e.kind) {
            case CAPTURE -> {
                SalesSeries s = series.get(e.series);
                if (s == null) s = SalesSeries.of(e.series, e.currency);
                s.capture(day(e.time), e.amountMinor, e.otherMinor);
                if (s.timer < end) {
                    ctx.timerService().registerEventTimeTimer(end);
                    s.timer = end;
                }
                series.put(e.series, s);
            }
            case BANK, CLOSE -> {
                // The bank's side, in its account's order: never held back by the watermark.
                ForecastBook b = book();
                b.apply(e);
                // A close, or the line that completes a waiting close's statement.
                drain(b, e.account, Integer.MIN_VALUE, out, ctx);
                keep(b);
            }
            default -> {
                waiting.add(e);
                ctx.timerService().registerEventTimeTimer(end);
            }
        }
    }

    /**
     * Forecasts from {@code account}'s waiting closes, in their order, while the snapshot of each
     * one's day is there and its statement's lines are in (or a later close has come). One older
     * than every snapshot kept (from before {@code oldest}) is dropped: a newer close follows it.
     */
    private void drain(
            ForecastBook b, String account, int oldest, Collector<ForecastPoint> out, Context ctx)
            throws Exception {
        List<BankView> waitingCloses = b.waiting(account);
        while (!waitingCloses.isEmpty()) {
            BankView v = waitingCloses.get(0);
            DaySnapshot s = snapshots.get(v.day);
            boolean stale = v.day < oldest;
            if (!stale && (s == null || !b.ready(v, waitingCloses.size() > 1))) break;
            waitingCloses.remove(0);
            if (s == null) continue;
            ForecastBook.Result r = b.combine(v, s);
            r.points().forEach(out::collect);
            r.alerts().forEach(a -> ctx.output(ALERTS, a));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastPoint> out)
            throws Exception {
        if (timestamp > endOfTime) return;
        ForecastBook b = book();
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
        snapshots.put(closed, b.snapshot(closed, timestamp, all, fallbackLagDays));
        b.vatPositions(closed, timestamp, all).forEach(p -> ctx.output(VAT_POSITIONS, p));
        List<Integer> old = new ArrayList<>();
        for (Integer d : snapshots.keys()) if (d < closed - SNAPSHOT_DAYS_KEPT) old.add(d);
        for (Integer d : old) snapshots.remove(d);
        // Closes that came before their day's snapshot (a bank on time, live).
        for (String account : new ArrayList<>(b.views.keySet())) {
            drain(b, account, closed - SNAPSHOT_DAYS_KEPT, out, ctx);
        }
        keep(b);
        // One snapshot a day, quiet days too: a late close must find its own day's.
        if (timestamp + DAY <= endOfTime)
            ctx.timerService().registerEventTimeTimer(timestamp + DAY);
    }
}
