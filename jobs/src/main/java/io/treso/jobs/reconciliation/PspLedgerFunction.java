package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.jobs.account.AccountCalendars;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell of {@link PspLedger}, keyed by PSP scope ({@code PSP/store/CCY}). Every input
 * asks for a judgement at its own time and at the next day boundary; the day boundary re-arms
 * itself while the scope is active. Timers fire only once the watermark has passed, so a judgement
 * sees every input up to its time. It emits MISSING_PAYOUT alerts; balances go to {@link
 * #BALANCES}.
 */
public final class PspLedgerFunction
        extends KeyedBroadcastProcessFunction<String, PspInput, MatchingBroadcast, CashAlert> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CashPosition> BALANCES =
            new OutputTag<>("psp-balances", TypeInformation.of(CashPosition.class));

    private final LiveRules rules;
    private final long keepMillis;
    private final long endOfTime;

    private transient ValueState<PspLedgerState> state;

    public PspLedgerFunction(List<MatchingRules> seedRules, Duration keep, long endOfTime) {
        this.rules = new LiveRules(seedRules);
        this.keepMillis = keep.toMillis();
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "psp-ledger", PspLedgerStateSerializer.INSTANCE));
    }

    @Override
    public void processElement(PspInput in, ReadOnlyContext ctx, Collector<CashAlert> out)
            throws Exception {
        PspLedgerState s = state.value();
        if (s == null) s = new PspLedgerState();
        new PspLedger(s, calendar(in.currency), keepMillis).apply(in);
        state.update(s);
        if (judgedAtItsMoment(in, s)) ctx.timerService().registerEventTimeTimer(in.at);
        ctx.timerService().registerEventTimeTimer(nextDay(in.at));
    }

    @Override
    public void processBroadcastElement(MatchingBroadcast in, Context ctx, Collector<CashAlert> out)
            throws Exception {
        rules.onBroadcast(in, ctx.getBroadcastState(BankMatchingFunction.RULES));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CashAlert> out)
            throws Exception {
        // Past the end of a bounded input nothing is emitted: the live path never gets there.
        if (timestamp > endOfTime) return;
        PspLedgerState s = state.value();
        if (s == null) return;
        boolean dayBoundary = nextDay(timestamp - 1) == timestamp;
        PspLedger ledger = new PspLedger(s, calendar(s.currency), keepMillis);
        MatchingRules r =
                rules.inForce(
                        ctx.getBroadcastState(BankMatchingFunction.RULES),
                        MatchingRules.ALL_ACCOUNTS,
                        timestamp);
        ledger.judge(
                timestamp,
                r,
                dayBoundary,
                new PspLedger.Sink() {
                    @Override
                    public void alert(CashAlert alert) {
                        out.collect(alert);
                    }

                    @Override
                    public void position(CashPosition position) {
                        ctx.output(BALANCES, position);
                    }
                });
        if (dayBoundary && ledger.active(timestamp)) {
            ctx.timerService().registerEventTimeTimer(nextDay(timestamp));
        }
        state.update(s);
    }

    /**
     * Whether the ledger is judged at the event's own time, not only at the day's end. A capture,
     * refund or chargeback moves the day's money, which is judged at midnight; at its own moment it
     * could only matter to overdue orders or an open episode, and those change at their own events'
     * times, which are judged. Without such a timer per order event, a healthy scope is judged once
     * a day instead of once per order (a state read and write each).
     */
    static boolean judgedAtItsMoment(PspInput in, PspLedgerState s) {
        boolean money =
                in.kind == PspInput.Kind.CAPTURED
                        || in.kind == PspInput.Kind.REFUNDED
                        || in.kind == PspInput.Kind.CHARGED_BACK;
        return !money || s.orders.length > 0 || s.episodeId != null;
    }

    /** The next midnight, UTC: every PSP scope's day. */
    private static long nextDay(long t) {
        return Instant.ofEpochMilli(t)
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
    }

    /** The scope's currency's calendar (in UTC): it knows no account to ask for its own. */
    private static BusinessCalendar calendar(String currency) {
        return AccountCalendars.forCurrency(currency);
    }
}
