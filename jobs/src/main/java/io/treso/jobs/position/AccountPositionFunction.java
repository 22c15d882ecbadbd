package io.treso.jobs.position;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.jobs.account.AccountCalendars;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.input.AccountInput;
import io.treso.jobs.metrics.LabelledMetric;
import io.treso.jobs.metrics.LongGauge;
import io.treso.jobs.runtime.States;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell of {@link AccountBook}, keyed by account: deduplicates by event id, holds the
 * state in RocksDB, and turns threshold changes into event-time timers. Timers past the end of the
 * input only clean state: they emit nothing, as the live path would never reach them.
 */
public final class AccountPositionFunction
        extends KeyedProcessFunction<String, AccountInput, CashPosition> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    public static final OutputTag<CashAlert> ALERTS =
            new OutputTag<>("account-alerts", TypeInformation.of(CashAlert.class));

    /** Records an account cannot book (a line in another currency), for the dead letters. */
    /** The accounts' daily closes ({@link AccountCloses}). */
    public static final OutputTag<io.treso.event.DailyPosition> DAILY =
            new OutputTag<>(
                    "account-daily-closes", TypeInformation.of(io.treso.event.DailyPosition.class));

    public static final OutputTag<io.treso.event.DeadLetter> REFUSED =
            new OutputTag<>("account-refused", TypeInformation.of(io.treso.event.DeadLetter.class));

    private final List<ThresholdRule> seedRules;
    private final int graceBusinessDays;
    private final long retentionMillis;
    private final long endOfTime;

    private transient ValueState<AccountState> state;
    private transient MapState<Long, LedgerEntry> ledger;
    private transient MapState<String, StatementProgress> progress;
    private transient MapState<String, Long> seenIds;

    /** A bank line's amount and booking time by id, so a repeat that differs is told apart. */
    private transient MapState<String, long[]> lineFacts;

    /** (line id | statement id) pairs already counted, kept as long as the ids. */
    private transient MapState<String, Long> reportedLines;

    private transient MapState<String, ThresholdRule> liveRules;
    private transient MapState<Long, Boolean> ruleTimers;
    private transient MapState<Long, Boolean> wakeTimers;
    private transient ValueState<Boolean> seedTimersSet;
    private transient Set<String> seedIds;
    private transient Counter duplicates;
    private transient LabelledMetric<LongGauge> thresholds;
    private final int maxSeries;

    private final List<AccountConfig> seedAccounts;

    /** ACCOUNT_CONFIGs that arrived for this account: its zone and business-day calendar. */
    private transient MapState<String, AccountConfig> accountConfigs;

    private transient Map<String, AccountCalendars> calendarsByAccount;

    public AccountPositionFunction(
            List<ThresholdRule> seedRules,
            List<AccountConfig> seedAccounts,
            int graceBusinessDays,
            Duration retention,
            long endOfTime,
            int maxSeries) {
        this.seedRules = new ArrayList<>(seedRules);
        this.seedAccounts = new ArrayList<>(seedAccounts);
        this.graceBusinessDays = graceBusinessDays;
        this.retentionMillis = retention.toMillis();
        this.endOfTime = endOfTime;
        this.maxSeries = maxSeries;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        state = ctx.getState(new ValueStateDescriptor<>("account", AccountState.class));
        ledger = ctx.getMapState(new MapStateDescriptor<>("ledger", Long.class, LedgerEntry.class));
        progress =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "statements", String.class, StatementProgress.class));
        seenIds = ctx.getMapState(new MapStateDescriptor<>("seen-ids", String.class, Long.class));
        lineFacts =
                ctx.getMapState(
                        new MapStateDescriptor<>("bank-line-facts", String.class, long[].class));
        reportedLines =
                ctx.getMapState(
                        new MapStateDescriptor<>("reported-lines", String.class, Long.class));
        liveRules =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "threshold-rules", String.class, ThresholdRule.class));
        ruleTimers =
                ctx.getMapState(new MapStateDescriptor<>("rule-timers", Long.class, Boolean.class));
        wakeTimers =
                ctx.getMapState(new MapStateDescriptor<>("wake-timers", Long.class, Boolean.class));
        seedTimersSet = ctx.getState(new ValueStateDescriptor<>("seed-timers", Boolean.class));
        seedIds = seedRules.stream().map(r -> r.eventId).collect(Collectors.toSet());
        accountConfigs =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "account-configs", String.class, AccountConfig.class));
        var treso = ctx.getMetricGroup().addGroup("treso");
        duplicates = treso.counter("duplicates_dropped");
        thresholds =
                LabelledMetric.gauges(
                        treso.addGroup("cash"),
                        "low_balance_threshold_minor",
                        maxSeries,
                        "account",
                        "currency");
        calendarsByAccount = new HashMap<>();
    }

    @Override
    public void processElement(AccountInput in, Context ctx, Collector<CashPosition> out)
            throws Exception {
        String account = ctx.getCurrentKey();
        registerSeedTimers(account, ctx);
        var config = in.control == null ? null : AccountConfig.of(in.control).orElse(null);
        if (config != null) {
            accountConfigs.put(config.eventId, config);
            calendarsByAccount.remove(account);
            return;
        }
        AccountBook book = book(ctx, out, ctx.timestamp() == null ? 0 : ctx.timestamp());
        if (in.bank != null) {
            long bookedAt = in.bank.getBookedAt().toEpochMilli();
            String reported =
                    in.bank.getStatementId() == null
                            ? null
                            : in.bank.getEventId() + "|" + in.bank.getStatementId();
            boolean firstInStatement = reported != null && !reportedLines.contains(reported);
            if (firstInStatement) reportedLines.put(reported, bookedAt);
            if (isRepeat(in.bank.getEventId(), bookedAt, ctx)) {
                long[] first = lineFacts.get(in.bank.getEventId());
                // Amounts only: a notification and the day's statement may time one booking apart.
                if (first != null && first[0] != in.bank.getAmountMinor()) {
                    book.onConflictingRepeat(in.bank, first[0], first[1]);
                } else if (firstInStatement) {
                    book.onLineReportedAgain(in.bank);
                }
                return;
            }
            lineFacts.put(in.bank.getEventId(), new long[] {in.bank.getAmountMinor(), bookedAt});
            book.onBankLine(in.bank, rules(account));
        } else if (in.statement != null) {
            if (isRepeat(
                    in.statement.getEventId(), in.statement.getPeriodEnd().toEpochMilli(), ctx))
                return;
            book.onStatement(in.statement, rules(account));
        } else if (in.control != null) {
            var rule = ThresholdRule.of(in.control);
            if (rule.isEmpty()
                    || seedIds.contains(rule.get().eventId)
                    || liveRules.contains(rule.get().eventId)) {
                return;
            }
            ThresholdRule r = rule.get();
            // A rule already behind the watermark applies from the watermark: the one
            // documented case where arrival order matters.
            long watermark = ctx.timerService().currentWatermark();
            boolean behind = watermark != Long.MIN_VALUE && r.effectiveAt <= watermark;
            if (behind) {
                r.effectiveAt = watermark + 1;
            }
            liveRules.put(r.eventId, r);
            if (behind && r.effectiveAt <= endOfTime) {
                // Applies at once: the watermark may not move again for a while.
                book.onRuleChange(account, r.effectiveAt, rules(account));
            } else {
                ruleTimers.put(r.effectiveAt, true);
                ctx.timerService().registerEventTimeTimer(r.effectiveAt);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CashPosition> out)
            throws Exception {
        if (Math.floorMod(timestamp, DAY) == 1) {
            // A cleanup timer: walk the ids only here, not on every rule or wake timer.
            List<String> expired = new ArrayList<>();
            for (Map.Entry<String, Long> e : seenIds.entries()) {
                if (e.getValue() + retentionMillis <= timestamp) expired.add(e.getKey());
            }
            for (String id : expired) {
                seenIds.remove(id);
                lineFacts.remove(id);
            }
            expired.clear();
            for (Map.Entry<String, Long> e : reportedLines.entries()) {
                if (e.getValue() + retentionMillis <= timestamp) expired.add(e.getKey());
            }
            for (String key : expired) reportedLines.remove(key);
        }

        if (wakeTimers.contains(timestamp)) {
            wakeTimers.remove(timestamp);
            if (timestamp <= endOfTime) {
                book(ctx, out, timestamp).onWake();
            }
        }
        if (ruleTimers.contains(timestamp)) {
            ruleTimers.remove(timestamp);
            if (timestamp <= endOfTime) {
                book(ctx, out, timestamp)
                        .onRuleChange(ctx.getCurrentKey(), timestamp, rules(ctx.getCurrentKey()));
            }
        }
    }

    private boolean isRepeat(String eventId, long eventTime, Context ctx) throws Exception {
        if (seenIds.contains(eventId)) {
            duplicates.inc();
            return true;
        }
        seenIds.put(eventId, eventTime);
        // 1 ms after midnight: cleanup timers are told apart from rule and wake timers.
        long cleanup = ((eventTime + retentionMillis) / DAY + 1) * DAY + 1;
        ctx.timerService().registerEventTimeTimer(cleanup);
        return false;
    }

    private void registerSeedTimers(String account, Context ctx) throws Exception {
        if (seedTimersSet.value() != null) return;
        seedTimersSet.update(true);
        long watermark = ctx.timerService().currentWatermark();
        for (ThresholdRule r : seedRules) {
            if (r.scope.equals(account) && r.effectiveAt > watermark) {
                ruleTimers.put(r.effectiveAt, true);
                ctx.timerService().registerEventTimeTimer(r.effectiveAt);
            }
        }
    }

    private List<ThresholdRule> rules(String account) throws Exception {
        List<ThresholdRule> rules = new ArrayList<>();
        for (ThresholdRule r : seedRules) {
            if (r.scope.equals(account)) rules.add(r);
        }
        for (ThresholdRule r : liveRules.values()) rules.add(r);
        return rules;
    }

    /**
     * The account's calendars: seeds plus the ACCOUNT_CONFIGs it received, read from state once per
     * account and subtask, not on every bank line (they change a few times a year).
     */
    private AccountCalendars calendars(String account) throws Exception {
        AccountCalendars c = calendarsByAccount.get(account);
        if (c == null) {
            List<AccountConfig> configs = new ArrayList<>(seedAccounts);
            for (AccountConfig a : accountConfigs.values()) configs.add(a);
            c = new AccountCalendars(configs);
            calendarsByAccount.put(account, c);
        }
        return c;
    }

    /** The account's book, counting business days on its calendar in force at {@code time}. */
    private AccountBook book(
            KeyedProcessFunction<String, AccountInput, CashPosition>.Context ctx,
            Collector<CashPosition> out,
            long time)
            throws Exception {
        AccountState known = state.value();
        BusinessCalendar calendar =
                calendars(ctx.getCurrentKey())
                        .at(ctx.getCurrentKey(), known == null ? null : known.currency, time);
        return new AccountBook(
                new Store(),
                new PositionOutput() {
                    @Override
                    public void position(CashPosition position) {
                        out.collect(position);
                    }

                    @Override
                    public void wakeAt(long eventTime) {
                        States.write(() -> wakeTimers.put(eventTime, true));
                        ctx.timerService().registerEventTimeTimer(eventTime);
                    }

                    @Override
                    public void alert(CashAlert alert) {
                        ctx.output(ALERTS, alert);
                    }

                    @Override
                    public void refused(io.treso.event.DeadLetter deadLetter) {
                        ctx.output(REFUSED, deadLetter);
                    }

                    @Override
                    public void dailyClose(io.treso.event.DailyPosition close) {
                        ctx.output(DAILY, close);
                    }

                    @Override
                    public void thresholdInForce(String account, String currency, long minor) {
                        thresholds.of(Alerts.mask(account), currency).set(minor);
                    }
                },
                graceBusinessDays,
                retentionMillis,
                calendar,
                ctx.timerService().currentWatermark());
    }

    /** RocksDB-backed {@link AccountStore} for the current key. */
    private final class Store implements AccountStore {
        @Override
        public AccountState state() {
            return States.read(() -> state.value());
        }

        @Override
        public void saveState(AccountState s) {
            States.read(
                    () -> {
                        state.update(s);
                        return null;
                    });
        }

        @Override
        public Iterable<Map.Entry<Long, LedgerEntry>> ledger() {
            return States.read(
                    () -> {
                        List<Map.Entry<Long, LedgerEntry>> copy = new ArrayList<>();
                        for (Map.Entry<Long, LedgerEntry> e : ledger.entries()) {
                            copy.add(Map.entry(e.getKey(), e.getValue()));
                        }
                        return copy;
                    });
        }

        @Override
        public void addToLedger(long bookedAt, long amount, String eventId) {
            States.read(
                    () -> {
                        LedgerEntry prev = ledger.get(bookedAt);
                        long sum = (prev == null ? 0 : prev.amount) + amount;
                        ledger.put(bookedAt, new LedgerEntry(sum, eventId));
                        return null;
                    });
        }

        @Override
        public void removeFromLedger(long bookedAt) {
            States.read(
                    () -> {
                        ledger.remove(bookedAt);
                        return null;
                    });
        }

        @Override
        public StatementProgress progress(String statementId) {
            return States.read(() -> progress.get(statementId));
        }

        @Override
        public void saveProgress(StatementProgress p) {
            States.read(
                    () -> {
                        progress.put(p.statementId, p);
                        return null;
                    });
        }

        @Override
        public void removeProgress(String statementId) {
            States.read(
                    () -> {
                        progress.remove(statementId);
                        return null;
                    });
        }

        @Override
        public Iterable<StatementProgress> allProgress() {
            return States.read(
                    () -> {
                        List<StatementProgress> copy = new ArrayList<>();
                        for (StatementProgress p : progress.values()) copy.add(p);
                        return copy;
                    });
        }
    }
}
