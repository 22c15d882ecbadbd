package io.treso.jobs.reconciliation;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.FxRate;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.account.AccountCalendars;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.input.AccountInput;
import io.treso.jobs.runtime.States;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.StringArraySerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell of {@link BankMatcher}, keyed by account: RocksDB MapState behind {@link
 * MatchStore}, event-time timers for the wakeups it asks for, and exchange rates and RECON_RULE
 * commands as broadcast state. Cleanup timers sit 1 ms after midnight; every other timer is a
 * decision time.
 */
public final class BankMatchingFunction
        extends KeyedBroadcastProcessFunction<
                String, MatchingInput, MatchingBroadcast, ReconciliationRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(BankMatchingFunction.class);

    public static final OutputTag<CashAlert> ALERTS =
            new OutputTag<>("matching-alerts", TypeInformation.of(CashAlert.class));

    static final MapStateDescriptor<String, String> FX =
            new MapStateDescriptor<>("fx-rates", String.class, String.class);
    static final MapStateDescriptor<String, MatchingRules> RULES =
            new MapStateDescriptor<>("recon-rules", String.class, MatchingRules.class);
    static final MapStateDescriptor<String, ObligationFacts> OBLIGATIONS =
            new MapStateDescriptor<>("obligations", String.class, ObligationFacts.class);

    /** Receivables aging: one position per account and bucket. */
    public static final OutputTag<CashPosition> AGING =
            new OutputTag<>("receivables-aging", TypeInformation.of(CashPosition.class));

    private final List<MatchingRules> seedRules;
    private final int statementGraceDays;
    private final long horizonMillis;
    private final long retentionMillis;
    private final long endOfTime;

    private transient ValueState<MatchingProgress> progress;
    private transient MapState<String, TrackedPayout> payouts;
    private transient MapState<String, BankEntry> credits;
    private transient MapState<String, TrackedPayout> settledPayouts;
    private transient MapState<String, String[]> payoutIndex;
    private transient MapState<String, BankEntry> decidedCredits;
    private transient MapState<String, Match> matches;
    private transient MapState<String, CoverageTally> tallies;
    private transient MapState<String, Long> seenBank;
    private transient MapState<String, ObligationProgress> obligationProgress;
    private transient MapState<String, MatchAction> actions;
    private transient MapState<String, Boolean> unmatched;
    private transient Map<String, Counter> decisions;
    private transient MetricGroup metrics;
    private transient Counter linesDecided;
    private transient org.apache.flink.metrics.Histogram decisionLatency;
    private transient Counter autoConfirmed;
    private transient List<MatchingRules> rules;

    /** Open items on this subtask (match id → decided at), for the gauges; kept in checkpoints. */
    private transient TreeMap<String, Long> openItems;

    private transient ListState<String> openItemsState;
    private transient long watermark = Long.MIN_VALUE;

    /** ACCOUNT_CONFIGs by event id: each account's zone and business-day calendar. */
    static final MapStateDescriptor<String, AccountConfig> ACCOUNTS =
            new MapStateDescriptor<>("account-configs", String.class, AccountConfig.class);

    /** BANK_CATEGORY rules by event id. */
    static final MapStateDescriptor<String, BankCategories> CATEGORIES =
            new MapStateDescriptor<>("bank-categories", String.class, BankCategories.class);

    private final List<AccountConfig> seedAccounts;
    private final List<BankCategories> seedCategories;
    private transient List<BankCategories> categories;
    private transient AccountCalendars calendars;

    public BankMatchingFunction(
            List<MatchingRules> seedRules,
            List<AccountConfig> seedAccounts,
            List<BankCategories> seedCategories,
            int statementGraceDays,
            Duration horizon,
            Duration retention,
            long endOfTime) {
        this.seedRules = new ArrayList<>(seedRules);
        this.seedAccounts = new ArrayList<>(seedAccounts);
        this.seedCategories = new ArrayList<>(seedCategories);
        this.statementGraceDays = statementGraceDays;
        this.horizonMillis = horizon.toMillis();
        this.retentionMillis = retention.toMillis();
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        progress = ctx.getState(new ValueStateDescriptor<>("progress", MatchingProgress.class));
        payouts =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "payouts",
                                StringSerializer.INSTANCE,
                                TrackedPayoutSerializer.INSTANCE));
        credits =
                ctx.getMapState(new MapStateDescriptor<>("credits", String.class, BankEntry.class));
        settledPayouts =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "settled-payouts",
                                StringSerializer.INSTANCE,
                                TrackedPayoutSerializer.INSTANCE));
        payoutIndex =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "payout-index",
                                StringSerializer.INSTANCE,
                                StringArraySerializer.INSTANCE));
        decidedCredits =
                ctx.getMapState(
                        new MapStateDescriptor<>("decided-credits", String.class, BankEntry.class));
        matches = ctx.getMapState(new MapStateDescriptor<>("matches", String.class, Match.class));
        tallies =
                ctx.getMapState(
                        new MapStateDescriptor<>("tallies", String.class, CoverageTally.class));
        seenBank = ctx.getMapState(new MapStateDescriptor<>("seen-bank", String.class, Long.class));
        obligationProgress =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "obligation-progress", String.class, ObligationProgress.class));
        actions =
                ctx.getMapState(
                        new MapStateDescriptor<>("actions", String.class, MatchAction.class));
        unmatched =
                ctx.getMapState(
                        new MapStateDescriptor<>("unmatched-credits", String.class, Boolean.class));
        decisions = new java.util.HashMap<>();
        metrics = ctx.getMetricGroup().addGroup("treso").addGroup("reconciliation");
        metrics.gauge("open_items", () -> openItems.size());
        // Event time: how long the oldest open item has waited, in the bank's own days.
        metrics.gauge(
                "oldest_open_item_age_seconds",
                () ->
                        openItems.isEmpty() || watermark == Long.MIN_VALUE
                                ? 0L
                                : Math.max(
                                                0L,
                                                watermark
                                                        - openItems.values().stream()
                                                                .mapToLong(Long::longValue)
                                                                .min()
                                                                .getAsLong())
                                        / 1000);
        autoConfirmed = metrics.counter("auto_confirmed");
        linesDecided = metrics.counter("first_decisions");
        // Booked to first decided, in event-time seconds: the wait a treasurer sees, the same in
        // a replay as live. The last 1,000 first decisions of the subtask.
        decisionLatency =
                metrics.histogram(
                        "decision_latency_seconds",
                        new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(
            MatchingInput in, ReadOnlyContext ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        this.watermark = Math.max(this.watermark, watermark);
        BankMatcher matcher = matcher(ctx, out, in.time(), in.currency());
        if (in.lineBreak != null) {
            matcher.onLineBreak(in.lineBreak);
            return;
        }
        if (in.payout != null) {
            matcher.onPayout(in.payout);
            cleanupAfter(ctx.timerService(), in.payout.occurredAt);
            return;
        }
        AccountInput a = in.account;
        if (a.bank != null) {
            matcher.onBankLine(a.bank, watermark);
            cleanupAfter(ctx.timerService(), a.bank.getBookedAt().toEpochMilli());
        } else if (a.statement != null) {
            matcher.onStatement(a.statement, watermark);
        } else if (a.control != null) {
            matcher.onAction(a.control, watermark);
        }
    }

    @Override
    public void processBroadcastElement(
            MatchingBroadcast in, Context ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        if (in.fx != null) {
            putFx(ctx.getBroadcastState(FX), in.fx);
        } else if (in.obligation != null) {
            ObligationFacts o = in.obligation;
            BroadcastState<String, ObligationFacts> state = ctx.getBroadcastState(OBLIGATIONS);
            ObligationFacts known = state.get(o.documentId);
            if (known == null || known.issuedAt <= o.issuedAt) state.put(o.documentId, o);
        } else if (in.control != null) {
            var account = AccountConfig.of(in.control);
            if (account.isPresent()) {
                ctx.getBroadcastState(ACCOUNTS).put(in.control.getEventId(), account.get());
                calendars = null;
            }
            var category = BankCategories.of(in.control);
            if (category.isPresent()) {
                ctx.getBroadcastState(CATEGORIES).put(in.control.getEventId(), category.get());
                categories = null;
            }
            MatchingRules.of(in.control)
                    .ifPresent(
                            rule -> {
                                States.write(
                                        () ->
                                                ctx.getBroadcastState(RULES)
                                                        .put(in.control.getEventId(), rule));
                                rules = null;
                            });
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        watermark = Math.max(watermark, timestamp);
        if (Math.floorMod(timestamp, DAY) == 1) {
            cleanUp(timestamp);
            return;
        }
        matcher(ctx, out, timestamp, null).onTime(timestamp);
    }

    /**
     * A matcher for the current account. Its calendar is the one in force at {@code time} (the
     * input's event time, or the timer's), never at the watermark, so replays agree.
     */
    private BankMatcher matcher(
            ReadOnlyContext ctx, Collector<ReconciliationRecord> out, long time, String currency)
            throws Exception {
        if (calendars == null) {
            List<AccountConfig> all = new ArrayList<>(seedAccounts);
            for (var e : ctx.getBroadcastState(ACCOUNTS).immutableEntries()) all.add(e.getValue());
            calendars = new AccountCalendars(all);
        }
        if (categories == null) {
            categories = new ArrayList<>(seedCategories);
            for (var e : ctx.getBroadcastState(CATEGORIES).immutableEntries()) {
                categories.add(e.getValue());
            }
        }
        MatchingProgress known = progress.value();
        String ccy = known != null && known.currency != null ? known.currency : currency;
        ReadOnlyBroadcastState<String, MatchingRules> ruleState = ctx.getBroadcastState(RULES);
        ReadOnlyBroadcastState<String, String> fxState = ctx.getBroadcastState(FX);
        ReadOnlyBroadcastState<String, ObligationFacts> obligationState =
                ctx.getBroadcastState(OBLIGATIONS);
        if (rules == null) {
            // Rebuilt only when a RECON_RULE arrives (or after a restore), not per record.
            rules = new ArrayList<>(seedRules);
            for (Map.Entry<String, MatchingRules> e : ruleState.immutableEntries()) {
                rules.add(e.getValue());
            }
        }
        FxRates fx = fxRates(fxState);
        Obligations obligations =
                () -> {
                    List<ObligationFacts> all = new ArrayList<>();
                    States.write(
                            () -> {
                                for (Map.Entry<String, ObligationFacts> e :
                                        obligationState.immutableEntries()) all.add(e.getValue());
                            });
                    return all;
                };
        BankMatcher.Sink sink =
                new BankMatcher.Sink() {
                    @Override
                    public void record(ReconciliationRecord r) {
                        String status = r.getStatus().name();
                        String rule = r.getRule();
                        decisions
                                .computeIfAbsent(
                                        rule + "/" + status,
                                        k ->
                                                metrics.addGroup("rule", rule)
                                                        .addGroup("status", status)
                                                        .counter("decisions"))
                                .inc();
                        if (r.getRevision() == 1) {
                            linesDecided.inc();
                            if (!r.getNeedsReview()) autoConfirmed.inc();
                            if (r.getBookedAt() != null) {
                                decisionLatency.update(
                                        Math.max(
                                                0L,
                                                r.getDecidedAt().getEpochSecond()
                                                        - r.getBookedAt().getEpochSecond()));
                            }
                        }
                        if (!OpenItems.isOpen(r.getStatus(), r.getNeedsReview())) {
                            openItems.remove(r.getMatchId());
                        } else {
                            openItems.put(r.getMatchId(), r.getDecidedAt().toEpochMilli());
                        }
                        out.collect(r);
                    }

                    @Override
                    public void alert(CashAlert a) {
                        ctx.output(ALERTS, a);
                    }

                    @Override
                    public void position(CashPosition p) {
                        // Day flows and receivables aging; the boards read them off the outputs.
                        ctx.output(AGING, p);
                    }
                };
        return new BankMatcher(
                ctx.getCurrentKey(),
                new Store(),
                rules,
                fx,
                obligations,
                calendars.at(ctx.getCurrentKey(), ccy, time),
                categories,
                statementGraceDays,
                endOfTime,
                sink,
                ctx.timerService()::registerEventTimeTimer);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openItemsState.clear();
        for (Map.Entry<String, Long> e : openItems.entrySet()) {
            openItemsState.add(e.getValue() + "|" + e.getKey());
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openItems = new TreeMap<>();
        openItemsState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("open-items", String.class));
        for (String s : openItemsState.get()) {
            int bar = s.indexOf('|');
            openItems.put(s.substring(bar + 1), Long.parseLong(s.substring(0, bar)));
        }
    }

    /** Keeps an FX rate by currency pair and UTC day, for {@link #fxRates}. */
    static void putFx(BroadcastState<String, String> state, FxRate r) throws Exception {
        long day = r.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        state.put(fxKey(r.getCurrency(), r.getBaseCurrency(), day), r.getRate());
    }

    /**
     * The rates kept by {@link #putFx}: a day's, or the latest of the week before; inverses too.
     */
    static FxRates fxRates(ReadOnlyBroadcastState<String, String> state) {
        return (from, to, day) -> lookup(state, from, to, day);
    }

    private static String fxKey(String currency, String base, long day) {
        return currency + "/" + base + "/" + day;
    }

    /** Units of {@code to} per unit of {@code from}, from rates quoted against a base currency. */
    private static BigDecimal lookup(
            ReadOnlyBroadcastState<String, String> state, String from, String to, long day) {
        for (long d = day; d > day - 8; d--) {
            String directKey = fxKey(from, to, d);
            String inverseKey = fxKey(to, from, d);
            String direct = States.read(() -> state.get(directKey));
            if (direct != null) return new BigDecimal(direct);
            String inverse = States.read(() -> state.get(inverseKey));
            if (inverse != null) {
                return BigDecimal.ONE.divide(new BigDecimal(inverse), 10, RoundingMode.HALF_EVEN);
            }
        }
        return null;
    }

    private void cleanupAfter(org.apache.flink.streaming.api.TimerService timers, long t) {
        timers.registerEventTimeTimer(((t + horizonMillis) / DAY + 1) * DAY + 1);
    }

    /** Forgets what is settled and older than the horizon; open items stay for the retention. */
    private void cleanUp(long now) throws Exception {
        List<String> old = new ArrayList<>();
        PayoutIndex index = new PayoutIndex(new Store());
        for (MapState<String, TrackedPayout> map : List.of(payouts, settledPayouts)) {
            for (Map.Entry<String, TrackedPayout> e : map.entries()) {
                TrackedPayout p = e.getValue();
                boolean done = p.isSettled() || p.depositChecked || p.failedAt != Long.MAX_VALUE;
                long age = now - p.lastEventAt;
                if ((done && age >= horizonMillis) || age >= retentionMillis) {
                    old.add(e.getKey());
                    index.forget(p);
                }
            }
            for (String id : old) map.remove(id);
            old.clear();
        }
        for (MapState<String, BankEntry> map : List.of(credits, decidedCredits)) {
            for (Map.Entry<String, BankEntry> e : map.entries()) {
                BankEntry c = e.getValue();
                Match m = c.matchId == null ? null : matches.get(c.matchId);
                boolean closed = c.decided && (m == null || !m.isOpen());
                long age = now - c.bookedAt;
                if ((closed && age >= horizonMillis) || age >= retentionMillis) {
                    old.add(e.getKey());
                    if (m != null) matches.remove(m.matchId);
                }
            }
            for (String id : old) {
                map.remove(id);
                unmatched.remove(id);
            }
            old.clear();
        }
        for (Map.Entry<String, MatchAction> e : actions.entries()) {
            // An action whose match never came: dropped after the retention, with a warning.
            if (now - e.getValue().effectiveAt >= retentionMillis) old.add(e.getKey());
        }
        for (String id : old) {
            LOG.warn(
                    "Dropping MATCH_ACTION {}: match {} was never decided on this account",
                    id,
                    actions.get(id).matchId);
            actions.remove(id);
        }
        old.clear();
        for (Map.Entry<String, Long> e : seenBank.entries()) {
            if (now - e.getValue() >= retentionMillis) old.add(e.getKey());
        }
        for (String id : old) seenBank.remove(id);
    }

    /** {@link MatchStore} on this key's RocksDB state. */
    private final class Store implements MatchStore {
        @Override
        public MatchingProgress progress() {
            return States.read(() -> progress.value());
        }

        @Override
        public void saveProgress(MatchingProgress p) {
            States.write(() -> progress.update(p));
        }

        @Override
        public TrackedPayout payout(String id) {
            TrackedPayout p = get(payouts, id);
            return p != null ? p : get(settledPayouts, id);
        }

        @Override
        public void putPayout(TrackedPayout p) {
            boolean settled = p.isSettled();
            if (p.stored && p.storedSettled != settled) {
                remove(settled ? payouts : settledPayouts, p.payoutId);
            }
            p.stored = true;
            p.storedSettled = settled;
            put(settled ? settledPayouts : payouts, p.payoutId, p);
        }

        @Override
        public Iterable<TrackedPayout> payouts() {
            return values(payouts);
        }

        @Override
        public String[] payoutsUnder(String key) {
            String[] ids = get(payoutIndex, key);
            return ids == null ? new String[0] : ids;
        }

        @Override
        public void putPayoutsUnder(String key, String[] ids) {
            if (ids.length == 0) remove(payoutIndex, key);
            else put(payoutIndex, key, ids);
        }

        @Override
        public BankEntry credit(String id) {
            BankEntry c = get(credits, id);
            return c != null ? c : get(decidedCredits, id);
        }

        @Override
        public void putCredit(BankEntry c) {
            if (c.stored && c.storedDecided != c.decided) {
                remove(c.decided ? credits : decidedCredits, c.eventId);
            }
            c.stored = true;
            c.storedDecided = c.decided;
            put(c.decided ? decidedCredits : credits, c.eventId, c);
        }

        @Override
        public Iterable<BankEntry> credits() {
            return values(credits);
        }

        @Override
        public Match match(String id) {
            return get(matches, id);
        }

        @Override
        public void putMatch(Match m) {
            put(matches, m.matchId, m);
        }

        @Override
        public CoverageTally tally(String id) {
            return get(tallies, id);
        }

        @Override
        public void putTally(CoverageTally t) {
            put(tallies, t.statementId, t);
        }

        @Override
        public void removeTally(String id) {
            remove(tallies, id);
        }

        @Override
        public Iterable<CoverageTally> tallies() {
            return values(tallies);
        }

        @Override
        public ObligationProgress obligation(String documentId) {
            return get(obligationProgress, documentId);
        }

        @Override
        public void putObligation(ObligationProgress p) {
            put(obligationProgress, p.documentId, p);
        }

        @Override
        public Iterable<String> unmatchedCredits() {
            return States.read(
                    () -> {
                        List<String> ids = new ArrayList<>();
                        for (String id : unmatched.keys()) ids.add(id);
                        return ids;
                    });
        }

        @Override
        public void indexUnmatched(String bankEventId, boolean isUnmatched) {
            if (isUnmatched) put(unmatched, bankEventId, true);
            else remove(unmatched, bankEventId);
        }

        @Override
        public Iterable<MatchAction> pendingActions() {
            return values(actions);
        }

        @Override
        public void putAction(MatchAction a) {
            put(actions, a.eventId, a);
        }

        @Override
        public void removeAction(String eventId) {
            remove(actions, eventId);
        }

        @Override
        public boolean firstSighting(String id, long bookedAt) {
            return States.read(
                    () -> {
                        if (seenBank.contains(id)) return false;
                        seenBank.put(id, bookedAt);
                        return true;
                    });
        }
    }

    private static <V> V get(MapState<String, V> s, String k) {
        return States.read(() -> s.get(k));
    }

    private static <V> void put(MapState<String, V> s, String k, V v) {
        States.write(() -> s.put(k, v));
    }

    private static <V> void remove(MapState<String, V> s, String k) {
        States.write(() -> s.remove(k));
    }

    private static <V> Iterable<V> values(MapState<String, V> s) {
        return States.read(
                () -> {
                    List<V> list = new ArrayList<>();
                    for (V v : s.values()) list.add(v);
                    return list;
                });
    }
}
