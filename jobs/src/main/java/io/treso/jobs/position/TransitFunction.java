package io.treso.jobs.position;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.CashPosition;
import io.treso.jobs.account.AccountCalendars;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cash in transit per (psp, store, currency): payouts sent by the PSP and not yet seen at the bank.
 * Until reconciliation clears them by MATCHED records, a payout leaves transit a grace period after
 * its expected arrival, and the figure is flagged ESTIMATED.
 */
public final class TransitFunction
        extends KeyedProcessFunction<String, TransitPayout, CashPosition> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final int graceBusinessDays;
    private final long horizonMillis;
    private final long endOfTime;

    private transient MapState<String, Long> inTransit;
    private transient MapState<String, Long> clearAt;
    private transient MapState<String, Long> settled;
    private transient MapState<String, Long> seenIds;
    private transient ValueState<Long> asOf;

    public TransitFunction(int graceBusinessDays, Duration dedupHorizon, long endOfTime) {
        this.graceBusinessDays = graceBusinessDays;
        this.horizonMillis = dedupHorizon.toMillis();
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        inTransit =
                ctx.getMapState(new MapStateDescriptor<>("in-transit", String.class, Long.class));
        clearAt = ctx.getMapState(new MapStateDescriptor<>("clear-at", String.class, Long.class));
        settled = ctx.getMapState(new MapStateDescriptor<>("settled", String.class, Long.class));
        seenIds = ctx.getMapState(new MapStateDescriptor<>("seen-ids", String.class, Long.class));
        asOf = ctx.getState(new ValueStateDescriptor<>("as-of", Long.class));
    }

    @Override
    public void processElement(TransitPayout p, Context ctx, Collector<CashPosition> out)
            throws Exception {
        long t = p.occurredAt;
        if (seenIds.contains(p.eventId)) return;
        seenIds.put(p.eventId, t);
        // Cleanup timers sit 1 ms after midnight, clearing timers at midnight: one look tells them
        // apart.
        ctx.timerService().registerEventTimeTimer(((t + horizonMillis) / DAY + 1) * DAY + 1);
        String id = p.payoutId;
        if (p.isOnItsWay() && !inTransit.contains(id) && !settled.contains(id)) {
            // The currency's calendar: this operator does not know the account's config.
            BusinessCalendar calendar = AccountCalendars.forCurrency(p.currency);
            long clear =
                    calendar.startOf(
                                    calendar.plusBusinessDays(
                                            p.expectedArrival(), graceBusinessDays))
                            .toEpochMilli();
            inTransit.put(id, p.netMinor);
            clearAt.put(id, clear);
            ctx.timerService().registerEventTimeTimer(clear);
        } else if (p.isCalledOff()) {
            inTransit.remove(id);
            clearAt.remove(id);
            settled.put(id, t);
        }
        advance(t);
        // Every new event re-states the scope: whether it or a clearing timer came last depends on
        // watermark timing, and the last record per scope must be the same either way.
        emit(ctx.getCurrentKey(), p.currency, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CashPosition> out)
            throws Exception {
        if (Math.floorMod(timestamp, DAY) == 1) {
            cleanUp(timestamp);
        } else {
            clearDue(timestamp, ctx, out);
        }
    }

    private void cleanUp(long timestamp) throws Exception {
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, Long> e : seenIds.entries()) {
            if (e.getValue() + horizonMillis <= timestamp) old.add(e.getKey());
        }
        for (String id : old) seenIds.remove(id);
        List<String> oldSettled = new ArrayList<>();
        for (Map.Entry<String, Long> e : settled.entries()) {
            if (e.getValue() + horizonMillis <= timestamp) oldSettled.add(e.getKey());
        }
        for (String id : oldSettled) settled.remove(id);
    }

    private void clearDue(long timestamp, OnTimerContext ctx, Collector<CashPosition> out)
            throws Exception {
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, Long> e : clearAt.entries()) {
            if (e.getValue() <= timestamp) due.add(e.getKey());
        }
        if (due.isEmpty() || timestamp > endOfTime) {
            return; // Past the end of the input: clean only, emit nothing.
        }
        for (String id : due) {
            inTransit.remove(id);
            clearAt.remove(id);
            settled.put(id, timestamp);
        }
        advance(timestamp);
        String key = ctx.getCurrentKey();
        emit(key, key.substring(key.lastIndexOf('/') + 1), out);
    }

    private void advance(long t) throws Exception {
        Long current = asOf.value();
        if (current == null || t > current) asOf.update(t);
    }

    private void emit(String scope, String currency, Collector<CashPosition> out) throws Exception {
        long total = 0;
        for (Long v : inTransit.values()) total += v;
        out.collect(
                CashPosition.newBuilder()
                        .setScope(scope)
                        .setCurrency(currency)
                        .setBalanceMinor(0)
                        .setBankReportedBalanceMinor(null)
                        .setInTransitMinor(total)
                        .setInTransitEstimated(true)
                        .setAsOf(Instant.ofEpochMilli(asOf.value()))
                        .build());
    }
}
