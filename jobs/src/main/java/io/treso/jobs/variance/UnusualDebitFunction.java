package io.treso.jobs.variance;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.StatementKind;
import io.treso.jobs.input.AccountInput;
import io.treso.jobs.runtime.States;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink shell of {@link DebitVariance}, keyed by account. Debits wait until the account's
 * statements cover their booking (END_OF_DAY or EXPORT period end) and every input has passed that
 * coverage; then they are judged in booking order, so the baseline each one meets never depends on
 * the order lines and statements arrived in. Repeated line ids are dropped for the bank retention;
 * an account no statement covers (notifications only) gets no UNUSUAL_DEBIT. The same coverage
 * closes the account's outflow days ({@link AccountOutflow}), and the statements' opening balances
 * give the new-payee floor its share of the balance.
 */
public final class UnusualDebitFunction
        extends KeyedBroadcastProcessFunction<String, AccountInput, VarianceControl, CashAlert> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final List<VarianceControl> seeds;
    private final long retentionMillis;

    /** How far behind the watermark a bank line may come and still find its statement's opening. */
    private static final long LATE_LINES = java.time.Duration.ofDays(35).toMillis();

    private final long endOfTime;

    private transient MapState<String, BankTransaction> pending;
    private transient MapState<String, Long> seen;
    private transient ValueState<Long> coverage;
    private transient ValueState<DebitHistory> account;
    private transient MapState<String, DebitHistory> counterparties;
    private transient MapState<String, Boolean> paidAccounts;
    private transient ValueState<long[]> openings;
    private transient ValueState<AccountOutflow.State> outflow;
    private transient Counter fired;
    private transient Counter outflowFired;

    private transient VarianceControls index;

    public UnusualDebitFunction(List<VarianceControl> seeds, Duration retention, long endOfTime) {
        this.seeds = new ArrayList<>(seeds);
        this.retentionMillis = retention.toMillis();
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        pending =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "pending-debits", String.class, BankTransaction.class));
        seen = ctx.getMapState(new MapStateDescriptor<>("seen-debits", String.class, Long.class));
        coverage = ctx.getState(new ValueStateDescriptor<>("coverage", Long.class));
        account = ctx.getState(new ValueStateDescriptor<>("debits", DebitHistory.class));
        counterparties =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "counterparty-debits", String.class, DebitHistory.class));
        paidAccounts =
                ctx.getMapState(
                        new MapStateDescriptor<>("paid-accounts", String.class, Boolean.class));
        openings = ctx.getState(new ValueStateDescriptor<>("opening-balances", long[].class));
        outflow = ctx.getState(new ValueStateDescriptor<>("outflow", AccountOutflow.State.class));
        var variance = ctx.getMetricGroup().addGroup("treso").addGroup("variance");
        fired =
                variance.addGroup("type", VarianceType.UNUSUAL_DEBIT.name())
                        .counter("anomalies_fired");
        outflowFired =
                variance.addGroup("type", VarianceType.OUTFLOW_SPIKE.name())
                        .counter("anomalies_fired");
    }

    @Override
    public void processElement(AccountInput in, ReadOnlyContext ctx, Collector<CashAlert> out)
            throws Exception {
        if (in.bank != null) {
            BankTransaction t = in.bank;
            if (t.getStatus() != BankEntryStatus.BOOKED || t.getAmountMinor() >= 0) return;
            if (seen.contains(t.getEventId())) return;
            AccountOutflow.State known = outflow.value();
            if (known != null
                    && known.currency != null
                    && !known.currency.equals(t.getCurrency())) {
                return; // Another currency than the account's: the position dead-letters it.
            }
            long booked = t.getBookedAt().toEpochMilli();
            seen.put(t.getEventId(), booked);
            pending.put(t.getEventId(), t);
            // Cleanup timers sit 2 ms after midnight; coverage timers on period ends.
            ctx.timerService()
                    .registerEventTimeTimer(((booked + retentionMillis) / DAY + 1) * DAY + 2);
            Long c = coverage.value();
            if (c != null && booked < c) ctx.timerService().registerEventTimeTimer(c);
        } else if (in.statement != null && in.statement.getKind() != StatementKind.INTRADAY) {
            if (in.statement.getOpeningBalanceMinor() != null) {
                keepOpening(
                        in.statement.getPeriodStart().toEpochMilli(),
                        in.statement.getOpeningBalanceMinor());
            }
            long end = in.statement.getPeriodEnd().toEpochMilli();
            Long c = coverage.value();
            if (c == null || end > c) {
                coverage.update(end);
                ctx.timerService().registerEventTimeTimer(end);
            }
        }
    }

    @Override
    public void processBroadcastElement(VarianceControl c, Context ctx, Collector<CashAlert> out)
            throws Exception {
        ctx.getBroadcastState(VarianceFunction.CONTROLS).put(c.eventId, c);
        index = null;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CashAlert> out)
            throws Exception {
        if (Math.floorMod(timestamp, DAY) == 2) {
            List<String> old = new ArrayList<>();
            for (Map.Entry<String, Long> e : seen.entries()) {
                if (e.getValue() + retentionMillis < timestamp) old.add(e.getKey());
            }
            for (String id : old) seen.remove(id);
            // A debit no statement ever covered (an account reported by camt.054 alone) is not
            // kept past the retention either.
            old.clear();
            for (Map.Entry<String, BankTransaction> e : pending.entries()) {
                if (e.getValue().getBookedAt().toEpochMilli() + retentionMillis < timestamp) {
                    old.add(e.getKey());
                }
            }
            for (String id : old) pending.remove(id);
            return;
        }
        Long c = coverage.value();
        if (c == null || timestamp > endOfTime) return;
        // Up to this timer's coverage, not the latest: statements can run ahead of the watermark,
        // and a line booked after this point may still be on its way. Its own timer comes.
        c = Math.min(c, timestamp);
        List<BankTransaction> due = new ArrayList<>();
        for (BankTransaction t : pending.values()) {
            if (t.getBookedAt().toEpochMilli() < c) due.add(t);
        }
        due.sort(
                Comparator.comparing(BankTransaction::getBookedAt)
                        .thenComparing(BankTransaction::getEventId));
        if (index == null) {
            index = VarianceFunction.index(seeds, ctx.getBroadcastState(VarianceFunction.CONTROLS));
        }
        DebitVariance judge = new DebitVariance(store());
        String account = ctx.getCurrentKey();
        AccountOutflow.State flow = outflow.value();
        if (flow == null) flow = new AccountOutflow.State();
        ZoneId zone = index.zone(account, c);
        String currency =
                flow.currency != null
                        ? flow.currency
                        : due.isEmpty() ? null : due.get(0).getCurrency();
        AccountOutflow days = new AccountOutflow(flow, index.calendar(account, currency, c), zone);
        for (BankTransaction t : due) {
            pending.remove(t.getEventId());
            long booked = t.getBookedAt().toEpochMilli();
            VarianceSettings s = index.settings(account, booked);
            var facts = new DebitVariance.AccountFacts(zone, opening(booked));
            var alert = judge.judge(t, s, facts);
            if (alert.isPresent()) {
                fired.inc();
                out.collect(alert.get());
            } else {
                days.add(t, s);
            }
        }
        days.closeBefore(
                java.time.Instant.ofEpochMilli(c).atZone(zone).toLocalDate(),
                index.settings(account, c));
        for (CashAlert a : days.drain()) {
            if (a.getState() == io.treso.event.AlertState.FIRING) outflowFired.inc();
            out.collect(a);
        }
        outflow.update(flow);
        forgetOpenings(c);
    }

    /**
     * Drops the opening balances no debit can ask for any more: those before the statement that
     * holds the oldest debit still pending, or {@link #LATE_LINES} behind the watermark. Statements
     * can run ahead of the watermark and bank lines can come behind it (another partition, read
     * later after a restore), so neither a fixed count, the coverage nor the watermark alone would
     * do: each lost an opening that a line still on its way needed, and Kafka then judged a new
     * payee against a smaller floor than replay did.
     */
    private void forgetOpenings(long watermark) throws Exception {
        long oldest = watermark - LATE_LINES;
        for (BankTransaction t : pending.values()) {
            oldest = Math.min(oldest, t.getBookedAt().toEpochMilli());
        }
        long[] kept = openings.value();
        if (kept == null) return;
        java.util.TreeMap<Long, Long> byStart = new java.util.TreeMap<>();
        for (int i = 0; i + 1 < kept.length; i += 2) byStart.put(kept[i], kept[i + 1]);
        Long holding = byStart.floorKey(oldest);
        if (holding == null) return;
        int before = byStart.size();
        byStart.headMap(holding, false).clear();
        if (byStart.size() != before) writeOpenings(byStart);
    }

    private void keepOpening(long periodStart, long balance) throws Exception {
        long[] kept = openings.value();
        java.util.TreeMap<Long, Long> byStart = new java.util.TreeMap<>();
        for (int i = 0; kept != null && i + 1 < kept.length; i += 2) {
            byStart.put(kept[i], kept[i + 1]);
        }
        byStart.put(periodStart, balance);
        writeOpenings(byStart);
    }

    private void writeOpenings(java.util.TreeMap<Long, Long> byStart) throws Exception {
        long[] next = new long[byStart.size() * 2];
        int i = 0;
        for (Map.Entry<Long, Long> e : byStart.entrySet()) {
            next[i++] = e.getKey();
            next[i++] = e.getValue();
        }
        openings.update(next);
    }

    /** The balance the bank reported at the start of the statement that holds {@code booked}. */
    private Long opening(long booked) throws Exception {
        long[] kept = openings.value();
        Long best = null;
        for (int i = 0; kept != null && i + 1 < kept.length; i += 2) {
            if (kept[i] <= booked) best = kept[i + 1];
        }
        return best;
    }

    private DebitVariance.Store store() {
        return new DebitVariance.Store() {
            @Override
            public DebitHistory account() {
                return States.read(() -> account.value());
            }

            @Override
            public void putAccount(DebitHistory h) {
                States.write(() -> account.update(h));
            }

            @Override
            public boolean paidAccount(String account) {
                return States.read(() -> paidAccounts.contains(account));
            }

            @Override
            public void putPaidAccount(String account) {
                States.write(() -> paidAccounts.put(account, Boolean.TRUE));
            }

            @Override
            public DebitHistory counterparty(String name) {
                return States.read(() -> counterparties.get(name));
            }

            @Override
            public void putCounterparty(String name, DebitHistory h) {
                States.write(() -> counterparties.put(name, h));
            }
        };
    }
}
