package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.reconciliation.PspLedgerState.DayMoney;
import io.treso.jobs.reconciliation.PspLedgerState.OverdueOrder;
import io.treso.jobs.reconciliation.PspLedgerState.PayoutMark;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One PSP's books for one store and currency, in plain Java: what the PSP owes ("Stripe owes us X")
 * and whether captured money is overdue for a payout.
 *
 * <p>The balance is captured − refunded − charged back − paid out, where a payout pays out its
 * gross less the refunds it deducts. MISSING_PAYOUT is one episode per scope, not one alert per
 * order, judged two ways by what the PSP's payouts say:
 *
 * <ul>
 *   <li>payouts that name their orders (lines or order ids): the orders the order check found past
 *       their deadline in no payout; the alert names how many, their total and the oldest;
 *   <li>payouts that name no order (money only): first in, first out on the balance — money
 *       captured on days whose deadline has passed, less everything paid out, refunded or charged
 *       back since, is overdue when above the tolerance.
 * </ul>
 *
 * Every judgement at time T reads only inputs at or before T, so the order in which partitions
 * deliver never changes an answer.
 */
public final class PspLedger {
    /** Where the ledger's alerts and balances go. */
    public interface Sink {
        void alert(CashAlert alert);

        void position(CashPosition position);
    }

    /** The prefix of a PSP balance's position scope: {@code psp:STRIPE/store-2/EUR}. */
    public static final String SCOPE_PREFIX = "psp:";

    private static final int EVIDENCE = 10;

    private final PspLedgerState s;
    private final BusinessCalendar calendar;
    private final long keepMillis;

    public PspLedger(PspLedgerState state, BusinessCalendar calendar, long keepMillis) {
        this.s = state;
        this.calendar = calendar;
        this.keepMillis = keepMillis;
    }

    public String scope() {
        return PspInput.scope(s.psp, s.storeId, s.currency);
    }

    // ---- inputs ----

    public void apply(PspInput in) {
        if (s.psp == null) {
            s.psp = in.psp;
            s.storeId = in.storeId;
            s.currency = in.currency;
        }
        s.lastActivity = Math.max(s.lastActivity, in.at);
        switch (in.kind) {
            case CAPTURED -> day(in.at).capturedMinor += in.amountMinor;
            case REFUNDED -> day(in.at).refundedMinor += in.amountMinor;
            case CHARGED_BACK -> day(in.at).chargedBackMinor += in.amountMinor;
            case PAYOUT -> payout(in);
            case ORDER_OVERDUE -> overdue(in);
            case ORDER_PAID_OUT -> {
                for (OverdueOrder o : s.orders) {
                    if (o.orderId.equals(in.orderId)) o.paidOutAt = Math.min(o.paidOutAt, in.at);
                }
            }
        }
    }

    private DayMoney day(long at) {
        long day = calendar.dateOf(Instant.ofEpochMilli(at)).toEpochDay();
        int i = 0;
        while (i < s.days.length && s.days[i].day < day) i++;
        if (i < s.days.length && s.days[i].day == day) return s.days[i];
        DayMoney d = new DayMoney();
        d.day = day;
        DayMoney[] more = new DayMoney[s.days.length + 1];
        System.arraycopy(s.days, 0, more, 0, i);
        more[i] = d;
        System.arraycopy(s.days, i, more, i + 1, s.days.length - i);
        s.days = more;
        return d;
    }

    private void payout(PspInput in) {
        PayoutMark m = null;
        for (PayoutMark p : s.payouts) if (p.payoutId.equals(in.payoutId)) m = p;
        if (m == null) {
            m = new PayoutMark();
            m.payoutId = in.payoutId;
            s.payouts = Arrays.copyOf(s.payouts, s.payouts.length + 1);
            s.payouts[s.payouts.length - 1] = m;
        }
        if (in.calledOff) {
            m.calledOffAt = Math.min(m.calledOffAt, in.at);
        } else if (in.at < m.paidAt) {
            m.paidAt = in.at;
            m.amountMinor = in.amountMinor;
            m.grossMinor = in.grossMinor;
            m.feeMinor = in.feeMinor;
            m.namesOrders = in.namesOrders;
        }
    }

    private void overdue(PspInput in) {
        for (OverdueOrder o : s.orders) {
            if (o.orderId.equals(in.orderId)) {
                o.noticeAt = Math.min(o.noticeAt, in.at);
                return;
            }
        }
        OverdueOrder o = new OverdueOrder();
        o.orderId = in.orderId;
        o.capturedEventId = in.eventId;
        o.capturedAt = in.capturedAt;
        o.amountMinor = in.amountMinor;
        o.noticeAt = in.at;
        s.orders = Arrays.copyOf(s.orders, s.orders.length + 1);
        s.orders[s.orders.length - 1] = o;
    }

    // ---- judgement ----

    /** Whether the scope's payouts, as of {@code t}, name no orders (judged on money alone). */
    boolean moneyOnly(long t) {
        long latest = s.rolledPayoutAt;
        boolean names = s.rolledNamesOrders;
        for (PayoutMark p : s.payouts) {
            if (p.paidAt <= t && p.paidAt >= latest) {
                latest = p.paidAt;
                names = p.namesOrders;
            }
        }
        return !names;
    }

    /** The PSP's balance owed as of {@code t}: order money of the days before t's day. */
    public long balanceAsOf(long t) {
        long today = calendar.dateOf(Instant.ofEpochMilli(t)).toEpochDay();
        long b = Math.subtractExact(s.rolledCapturedMinor, s.rolledOutMinor);
        for (DayMoney d : s.days) {
            if (d.day >= today) break;
            b = Math.addExact(b, d.capturedMinor - d.refundedMinor - d.chargedBackMinor);
        }
        for (PayoutMark p : s.payouts) b = Math.subtractExact(b, p.paidOutAsOf(t));
        return b;
    }

    /**
     * Money captured on days whose payout deadline has passed by {@code t} and not yet paid out,
     * refunded or charged back (first in, first out); never negative.
     */
    long overdueMoney(long t, MatchingRules r) {
        LocalDate today = calendar.dateOf(Instant.ofEpochMilli(t));
        int days = r.scheduleDays(s.psp) + r.payoutGraceBusinessDays + 1;
        LocalDate due = today;
        while (calendar.startOf(calendar.plusBusinessDays(due, days)).toEpochMilli() > t) {
            due = due.minusDays(1);
        }
        long captured = s.rolledCapturedMinor, out = s.rolledOutMinor;
        for (DayMoney d : s.days) {
            if (d.day >= today.toEpochDay()) break;
            if (d.day <= due.toEpochDay()) captured = Math.addExact(captured, d.capturedMinor);
            out = Math.addExact(out, d.refundedMinor + d.chargedBackMinor);
        }
        for (PayoutMark p : s.payouts) out = Math.addExact(out, p.paidOutAsOf(t));
        return Math.max(0, captured - out);
    }

    /**
     * Judges the scope at {@code t}: fires or resolves its MISSING_PAYOUT episode. At a day
     * boundary it also judges the money, reports the balance when it changed, and forgets what is
     * older than the horizon.
     */
    public void judge(long t, MatchingRules r, boolean dayBoundary, Sink sink) {
        boolean money = moneyOnly(t);
        List<OverdueOrder> active = new ArrayList<>(), kept = new ArrayList<>();
        for (OverdueOrder o : s.orders) {
            if (o.noticeAt > t) kept.add(o); // not due yet at t
            else if (o.paidOutAt <= t || money) continue; // paid out, or judged on money
            else {
                active.add(o);
                kept.add(o);
            }
        }
        s.orders = kept.toArray(new OverdueOrder[0]);
        if (money && dayBoundary) {
            long overdue = overdueMoney(t, r);
            boolean firing = overdue > r.toleranceMinor;
            if (firing && s.episodeId == null) fireOnMoney(t, overdue, r, sink);
            else if (!firing && s.episodeId != null) resolve(t, sink);
        } else if (!money) {
            if (!active.isEmpty() && s.episodeId == null) fireOnOrders(t, active, r, sink);
            else if (active.isEmpty() && s.episodeId != null) resolve(t, sink);
        }
        if (dayBoundary) {
            long balance = balanceAsOf(t);
            if (!s.reported || balance != s.reportedBalanceMinor) {
                s.reported = true;
                s.reportedBalanceMinor = balance;
                sink.position(
                        CashPosition.newBuilder()
                                .setScope(SCOPE_PREFIX + scope())
                                .setCurrency(s.currency)
                                .setBalanceMinor(balance)
                                .setBankReportedBalanceMinor(null)
                                .setInTransitMinor(0)
                                .setInTransitEstimated(false)
                                .setAsOf(Instant.ofEpochMilli(t))
                                .build());
            }
            reportTotals(t, sink);
            roll(t);
        }
    }

    /** The prefixes of the totals' scopes, in {@link #totalsAsOf} order. */
    public static final List<String> TOTALS =
            List.of("psp-captured:", "psp-refunded:", "psp-gross:", "psp-fees:");

    /**
     * Running totals as of {@code t}, from the first event: order money captured, refunded or
     * charged back (days before t's day, as the balance counts them), and the gross and fees of the
     * payouts paid by t and not called off. A period's fee or refund rate is the difference of two
     * days' totals.
     */
    public long[] totalsAsOf(long t) {
        long today = calendar.dateOf(Instant.ofEpochMilli(t)).toEpochDay();
        long captured = s.rolledCapturedMinor, refunded = s.rolledRefundedMinor;
        for (DayMoney d : s.days) {
            if (d.day >= today) break;
            captured = Math.addExact(captured, d.capturedMinor);
            refunded = Math.addExact(refunded, d.refundedMinor + d.chargedBackMinor);
        }
        long gross = s.rolledGrossMinor, fees = s.rolledFeeMinor;
        for (PayoutMark p : s.payouts) {
            if (p.paidAsOf(t)) {
                gross = Math.addExact(gross, p.grossMinor);
                fees = Math.addExact(fees, p.feeMinor);
            }
        }
        return new long[] {captured, refunded, gross, fees};
    }

    /** At a day boundary, the totals that changed since last reported, as positions. */
    private void reportTotals(long t, Sink sink) {
        long[] now = totalsAsOf(t);
        long[] before = s.reportedTotals;
        for (int i = 0; i < now.length; i++) {
            if (before != null && before[i] == now[i]) continue;
            sink.position(
                    CashPosition.newBuilder()
                            .setScope(TOTALS.get(i) + scope())
                            .setCurrency(s.currency)
                            .setBalanceMinor(now[i])
                            .setBankReportedBalanceMinor(null)
                            .setInTransitMinor(0)
                            .setInTransitEstimated(false)
                            .setAsOf(Instant.ofEpochMilli(t))
                            .build());
        }
        s.reportedTotals = now;
    }

    /** Whether the scope still needs a judgement every day. */
    public boolean active(long t) {
        return s.episodeId != null || s.orders.length > 0 || s.lastActivity + keepMillis > t;
    }

    /** Sums what is older than the horizon, so the state stays a few dozen entries. */
    private void roll(long t) {
        long oldest = calendar.dateOf(Instant.ofEpochMilli(t - keepMillis)).toEpochDay();
        int n = 0;
        while (n < s.days.length && s.days[n].day < oldest) {
            DayMoney d = s.days[n++];
            s.rolledCapturedMinor = Math.addExact(s.rolledCapturedMinor, d.capturedMinor);
            s.rolledOutMinor =
                    Math.addExact(s.rolledOutMinor, d.refundedMinor + d.chargedBackMinor);
            s.rolledRefundedMinor =
                    Math.addExact(s.rolledRefundedMinor, d.refundedMinor + d.chargedBackMinor);
        }
        s.days = Arrays.copyOfRange(s.days, n, s.days.length);
        List<PayoutMark> kept = new ArrayList<>();
        for (PayoutMark p : s.payouts) {
            if (p.lastAt() < t - keepMillis) {
                s.rolledOutMinor = Math.addExact(s.rolledOutMinor, p.paidOutAsOf(t));
                if (p.paidAsOf(t)) {
                    s.rolledGrossMinor = Math.addExact(s.rolledGrossMinor, p.grossMinor);
                    s.rolledFeeMinor = Math.addExact(s.rolledFeeMinor, p.feeMinor);
                }
                if (p.paidAt != Long.MAX_VALUE && p.paidAt >= s.rolledPayoutAt) {
                    s.rolledPayoutAt = p.paidAt;
                    s.rolledNamesOrders = p.namesOrders;
                }
            } else {
                kept.add(p);
            }
        }
        s.payouts = kept.toArray(new PayoutMark[0]);
    }

    // ---- alerts ----

    private String schedule(MatchingRules r) {
        return r.scheduleDays(s.psp)
                + " business days + "
                + r.payoutGraceBusinessDays
                + " of grace";
    }

    private void fireOnOrders(long t, List<OverdueOrder> active, MatchingRules r, Sink sink) {
        active.sort(
                Comparator.comparingLong((OverdueOrder o) -> o.capturedAt)
                        .thenComparing(o -> o.orderId));
        long total = 0;
        for (OverdueOrder o : active) total = Math.addExact(total, o.amountMinor);
        OverdueOrder oldest = active.get(0);
        List<OverdueOrder> named = active.subList(0, Math.min(EVIDENCE, active.size()));
        List<String> orderIds = new ArrayList<>(), evidence = new ArrayList<>();
        for (OverdueOrder o : named) {
            orderIds.add(o.orderId);
            if (o.capturedEventId != null) evidence.add(o.capturedEventId);
        }
        String message =
                String.format(
                        "%d %s of %s on %s (%s), %s in all, %s in no payout past %s's schedule"
                                + " (%s); the oldest, %s, was captured %s. Orders: %s%s. Ask %s"
                                + " when it pays them out.",
                        active.size(),
                        active.size() == 1 ? "order" : "orders",
                        s.storeId,
                        s.psp,
                        s.currency,
                        Alerts.money(total, s.currency),
                        active.size() == 1 ? "is" : "are",
                        s.psp,
                        schedule(r),
                        oldest.orderId,
                        Instant.ofEpochMilli(oldest.capturedAt),
                        String.join(", ", orderIds),
                        active.size() > named.size() ? " …" : "",
                        s.psp);
        fire(t, total, evidence, message, sink);
    }

    private void fireOnMoney(long t, long overdue, MatchingRules r, Sink sink) {
        String message =
                String.format(
                        "%s of the money %s captured for %s (%s) is past its payout schedule (%s)"
                                + " and in no payout; its payouts name no orders, so this is"
                                + " judged on the balance %s owes, %s as of %s. Ask %s when it"
                                + " pays out.",
                        Alerts.money(overdue, s.currency),
                        s.psp,
                        s.storeId,
                        s.currency,
                        schedule(r),
                        s.psp,
                        Alerts.money(balanceAsOf(t), s.currency),
                        Instant.ofEpochMilli(t),
                        s.psp);
        List<String> evidence = new ArrayList<>();
        fire(t, overdue, evidence, message, sink);
    }

    private void fire(long t, long amount, List<String> evidence, String message, Sink sink) {
        s.episodeId = Alerts.id(OrderLedger.MISSING_PAYOUT, scope(), Instant.ofEpochMilli(t));
        sink.alert(
                alert(AlertState.FIRING, t, message)
                        .setObservedValue(Alerts.decimal(amount, s.currency))
                        .setEvidenceEventIds(evidence)
                        .build());
    }

    private void resolve(long t, Sink sink) {
        sink.alert(
                alert(
                                AlertState.RESOLVED,
                                t,
                                String.format(
                                        "%s has paid out the overdue money of %s (%s).",
                                        s.psp, s.storeId, s.currency))
                        .setObservedValue(Alerts.decimal(0, s.currency))
                        .build());
        s.episodeId = null;
    }

    private CashAlert.Builder alert(AlertState state, long t, String message) {
        return Alerts.alert(
                        s.episodeId,
                        OrderLedger.MISSING_PAYOUT,
                        AlertLifecycle.STATEFUL,
                        Severity.WARNING,
                        state,
                        scope(),
                        Instant.ofEpochMilli(t),
                        message)
                .setUnit(s.currency);
    }
}
