package io.treso.jobs.reconciliation;

import io.treso.jobs.account.AccountCalendars;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell of {@link OrderLedger}, keyed by order id. A payout line is checked once the
 * watermark passes the payout's time, so every order event before it has been read, whichever topic
 * was faster. A payout that names the order without lines (order ids only) pays it out unchecked.
 * What the order moves on the PSP's books, and an order past its payout deadline, go to the PSP
 * ledger ({@link #PSP}), which raises MISSING_PAYOUT once per PSP scope. A captured order is
 * forgotten at its payout deadline once paid out; one never captured at the dedup horizon after it
 * was last seen (a cleanup timer 1 ms after midnight).
 */
public final class OrderCheckFunction
        extends KeyedBroadcastProcessFunction<String, OrderInput, MatchingBroadcast, LineBreak> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    /**
     * Marks an order reported overdue to its PSP ledger (in the field that held the per-order alert
     * id before MISSING_PAYOUT became one episode per PSP scope, so state restores as is).
     */
    private static final String OVERDUE = "overdue";

    /** Money on the PSP's books, and orders past their payout deadline: for the PSP ledger. */
    public static final OutputTag<PspInput> PSP =
            new OutputTag<>("psp-ledger", TypeInformation.of(PspInput.class));

    private final LiveRules rules;
    private final long horizonMillis;
    private final long endOfTime;

    private transient ValueState<OrderState> state;
    private transient Counter unchecked;
    private transient Counter breaks;

    public OrderCheckFunction(List<MatchingRules> seedRules, Duration horizon, long endOfTime) {
        this.rules = new LiveRules(seedRules);
        this.horizonMillis = horizon.toMillis();
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        state = ctx.getState(new ValueStateDescriptor<>("order", OrderStateSerializer.INSTANCE));
        var metrics = ctx.getMetricGroup().addGroup("treso").addGroup("reconciliation");
        unchecked = metrics.counter("lines_without_order");
        breaks = metrics.counter("line_breaks");
    }

    @Override
    public void processElement(OrderInput in, ReadOnlyContext ctx, Collector<LineBreak> out)
            throws Exception {
        OrderState s = state.value();
        if (s == null) {
            s = new OrderState();
            s.orderId = in.orderId();
        }
        long t = in.order != null ? in.order.occurredAt : in.line.payoutAt;
        s.lastSeen = Math.max(s.lastSeen, t);
        if (in.order != null) {
            boolean wasCaptured = s.capturedAt != Long.MAX_VALUE;
            long captured = s.capturedMinor, refunded = s.refundedMinor;
            long chargedBack = s.chargebackMinor;
            boolean counted = OrderLedger.apply(s, in.order);
            if (counted) {
                long at = in.order.occurredAt;
                money(ctx, PspInput.Kind.CAPTURED, s, at, s.capturedMinor - captured);
                money(ctx, PspInput.Kind.REFUNDED, s, at, s.refundedMinor - refunded);
                money(ctx, PspInput.Kind.CHARGED_BACK, s, at, s.chargebackMinor - chargedBack);
            }
            if (counted && !wasCaptured && s.capturedAt != Long.MAX_VALUE) {
                s.missingPayoutAt =
                        OrderLedger.payoutDeadline(
                                s,
                                rulesAt(ctx, s.capturedAt),
                                AccountCalendars.forCurrency(s.currency));
                if (s.missingPayoutAt != Long.MAX_VALUE) {
                    ctx.timerService().registerEventTimeTimer(s.missingPayoutAt);
                    dropCleanup(ctx, s); // the deadline takes over
                }
            }
        } else {
            SettlementLine l = in.line;
            if (!s.firstSighting(l.sourceId)) {
                return; // The same line on the payout's next status event.
            }
            boolean settles = "CHARGE".equals(l.type) || SettlementLine.ORDER_REF.equals(l.type);
            if (SettlementLine.ORDER_REF.equals(l.type)) {
                // The payout names the order but lists no amounts: nothing to check it against.
            } else if ("CHARGE".equals(l.type) && s.capturedAt <= l.payoutAt) {
                // The capture is in and precedes the payout: nothing later can change the
                // answer, so check now rather than hold the line until the watermark.
                check(s, l, rulesAt(ctx, l.payoutAt), out);
            } else {
                s.pending = Arrays.copyOf(s.pending, s.pending.length + 1);
                s.pending[s.pending.length - 1] = l;
                ctx.timerService().registerEventTimeTimer(l.payoutAt);
            }
            if (settles && l.payoutAt < s.chargeLineAt) {
                s.chargeLineAt = l.payoutAt;
                s.chargePayoutId = l.payoutId;
                if (s.missingAlertId != null) {
                    ctx.output(PSP, PspInput.order(PspInput.Kind.ORDER_PAID_OUT, s, l.payoutAt));
                    s.missingAlertId = null;
                }
            }
        }
        if (s.missingPayoutAt == Long.MAX_VALUE) {
            // Never captured: nothing else will clean it. A captured order is forgotten at its
            // payout deadline once a payout carried it (one timer per order, not two).
            cleanupAt(ctx, s);
        }
        state.update(s);
    }

    @Override
    public void processBroadcastElement(MatchingBroadcast in, Context ctx, Collector<LineBreak> out)
            throws Exception {
        rules.onBroadcast(in, ctx.getBroadcastState(BankMatchingFunction.RULES));
    }

    private MatchingRules rulesAt(ReadOnlyContext ctx, long time) throws Exception {
        return rules.inForce(
                ctx.getBroadcastState(BankMatchingFunction.RULES),
                MatchingRules.ALL_ACCOUNTS,
                time);
    }

    private void check(OrderState s, SettlementLine l, MatchingRules r, Collector<LineBreak> out) {
        if (s.currency == null) {
            unchecked.inc(); // An order Treso never saw: nothing to check the line against.
            return;
        }
        LineBreak b = OrderLedger.check(s, l, r.roundingMinor);
        if (b != null && l.payoutAt <= endOfTime) {
            breaks.inc();
            out.collect(b);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineBreak> out)
            throws Exception {
        // Past the end of a bounded input every open order's timer fires at once, and nothing
        // they would do is emitted: skip the flood (a live job's end of time never comes).
        if (timestamp > endOfTime) return;
        OrderState s = state.value();
        if (s == null) return;
        // State written before cleanupTimer existed: an uncaptured order's cleanup sits 1 ms after
        // midnight with no timer recorded (this version always records one for such an order).
        boolean legacyCleanup =
                s.cleanupTimer == 0
                        && s.missingPayoutAt == Long.MAX_VALUE
                        && Math.floorMod(timestamp, DAY) == 1;
        if (timestamp == s.cleanupTimer || legacyCleanup) {
            s.cleanupTimer = 0;
            if (s.lastSeen + horizonMillis <= timestamp) {
                state.clear();
            } else {
                cleanupAt(ctx, s); // seen again since: wait for the horizon of the last sighting
                state.update(s);
            }
            return;
        }
        List<SettlementLine> due = new ArrayList<>(), later = new ArrayList<>();
        for (SettlementLine l : s.pending) (l.payoutAt <= timestamp ? due : later).add(l);
        s.pending = later.toArray(new SettlementLine[0]);
        MatchingRules r = rulesAt(ctx, timestamp);
        for (SettlementLine l : due) check(s, l, r, out);
        if (timestamp == s.missingPayoutAt) {
            if (s.chargeLineAt <= timestamp && s.pending.length == 0) {
                state.clear(); // Paid out and checked: later lines or refunds start afresh.
                return;
            }
            if (s.chargeLineAt > timestamp && s.missingAlertId == null && timestamp <= endOfTime) {
                // The PSP scope's ledger decides whether this makes (or joins) an episode.
                s.missingAlertId = OVERDUE;
                ctx.output(PSP, PspInput.order(PspInput.Kind.ORDER_OVERDUE, s, timestamp));
            }
            cleanupAt(ctx, s);
        }
        state.update(s);
    }

    /**
     * One cleanup timer per order at most: the previous one is deleted when it moves. Every timer
     * is written at each checkpoint, so a timer per order for the whole horizon made checkpoints
     * the order check's main cost.
     */
    private void cleanupAt(ReadOnlyContext ctx, OrderState s) {
        long at = ((s.lastSeen + horizonMillis) / DAY + 1) * DAY + 1;
        if (at == s.cleanupTimer) return;
        dropCleanup(ctx, s);
        ctx.timerService().registerEventTimeTimer(at);
        s.cleanupTimer = at;
    }

    private static void money(
            ReadOnlyContext ctx, PspInput.Kind kind, OrderState s, long at, long amount) {
        if (amount != 0) ctx.output(PSP, PspInput.money(kind, s, at, amount));
    }

    private static void dropCleanup(ReadOnlyContext ctx, OrderState s) {
        if (s.cleanupTimer != 0) ctx.timerService().deleteEventTimeTimer(s.cleanupTimer);
        s.cleanupTimer = 0;
    }
}
