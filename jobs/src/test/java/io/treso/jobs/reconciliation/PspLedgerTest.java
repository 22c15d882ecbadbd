package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The PSP ledger in plain Java: balances, and MISSING_PAYOUT as one episode per PSP scope. */
class PspLedgerTest {
    static final BusinessCalendar CAL = BusinessCalendar.target(ZoneOffset.UTC);
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long KEEP = Duration.ofDays(35).toMillis();
    // Monday 20 April 2026: no holiday within three weeks.
    static final long MON = Instant.parse("2026-04-20T00:00:00Z").toEpochMilli();

    final List<CashAlert> alerts = new ArrayList<>();
    final List<CashPosition> positions = new ArrayList<>();

    /** The running totals (psp-captured: and the like), apart from the balance. */
    final List<CashPosition> totals = new ArrayList<>();

    final PspLedger.Sink sink =
            new PspLedger.Sink() {
                @Override
                public void alert(CashAlert a) {
                    alerts.add(a);
                }

                @Override
                public void position(CashPosition p) {
                    (p.getScope().startsWith(PspLedger.SCOPE_PREFIX) ? positions : totals).add(p);
                }
            };

    static OrderState order(String id, long capturedAt, long amount) {
        OrderState s = new OrderState();
        s.orderId = id;
        s.psp = "PAYPAL";
        s.storeId = "store-1";
        s.currency = "EUR";
        s.capturedAt = capturedAt;
        s.capturedMinor = amount;
        s.capturedEventId = "shopify:" + id + ":CAPTURED";
        return s;
    }

    static PspInput captured(String id, long at, long amount) {
        return PspInput.money(PspInput.Kind.CAPTURED, order(id, at, amount), at, amount);
    }

    static PspInput payout(String id, long at, long paidOut, boolean namesOrders, String status) {
        PspInput in = new PspInput();
        in.kind = PspInput.Kind.PAYOUT;
        in.psp = "PAYPAL";
        in.storeId = "store-1";
        in.currency = "EUR";
        in.at = at;
        in.payoutId = id;
        in.amountMinor = paidOut;
        in.namesOrders = namesOrders;
        in.calledOff = status.equals("FAILED");
        return in;
    }

    /** Applies the inputs, then judges every day boundary through {@code until}, as the shell. */
    void run(PspLedger ledger, List<PspInput> inputs, long until) {
        inputs.forEach(ledger::apply);
        for (long t = MON; t <= until; t += DAY) {
            ledger.judge(t, MatchingRules.defaults(), true, sink);
        }
    }

    List<String> states() {
        return alerts.stream().map(a -> a.getState() + "@" + a.getDetectedAt()).toList();
    }

    @Test
    void ordersPastTheirDeadlineMakeOneEpisodeThatNamesThemAndResolvesWhenAllArePaidOut() {
        PspLedger ledger = new PspLedger(new PspLedgerState(), CAL, KEEP);
        long deadline = MON + 8 * DAY;
        List<PspInput> in = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            OrderState o = order("o-" + k, MON + k * 3_600_000L, 1_000 + k);
            in.add(PspInput.order(PspInput.Kind.ORDER_OVERDUE, o, deadline));
        }
        in.add(PspInput.order(PspInput.Kind.ORDER_PAID_OUT, order("o-0", MON, 1_000), deadline));
        in.add(
                PspInput.order(
                        PspInput.Kind.ORDER_PAID_OUT, order("o-1", MON, 1_001), deadline + DAY));
        in.add(
                PspInput.order(
                        PspInput.Kind.ORDER_PAID_OUT,
                        order("o-2", MON, 1_002),
                        deadline + 2 * DAY + 1));
        run(ledger, in, MON + 14 * DAY);
        assertEquals(
                List.of(
                        "FIRING@" + Instant.ofEpochMilli(deadline),
                        "RESOLVED@" + Instant.ofEpochMilli(deadline + 3 * DAY)),
                states(),
                "o-0 was paid out at its deadline; o-1 and o-2 make one episode");
        CashAlert firing = alerts.get(0);
        assertEquals("PAYPAL/store-1/EUR", firing.getScope());
        assertEquals("20.03", firing.getObservedValue(), "o-1 and o-2: 10.01 + 10.02 EUR");
        assertTrue(
                firing.getMessage().startsWith("2 orders of store-1 on PAYPAL"),
                firing.getMessage());
        assertTrue(firing.getMessage().contains("the oldest, o-1"), firing.getMessage());
        assertEquals(
                List.of("shopify:o-1:CAPTURED", "shopify:o-2:CAPTURED"),
                firing.getEvidenceEventIds());
        assertEquals(firing.getAlertId(), alerts.get(1).getAlertId(), "FIRING and RESOLVED pair");
    }

    @Test
    void moneyOnlyPayoutsAreJudgedOnTheBalancesAgeFirstInFirstOut() {
        PspLedger ledger = new PspLedger(new PspLedgerState(), CAL, KEEP);
        List<PspInput> in = new ArrayList<>();
        // 100.00 EUR captured each weekday for three weeks; paid out the next business day,
        // except that payouts stop from Monday 27 April (day 7) until the backlog is paid on
        // Thursday 7 May (day 17).
        for (int d = 0; d < 19; d++) {
            long day = MON + d * DAY;
            if (!CAL.isBusinessDay(CAL.dateOf(Instant.ofEpochMilli(day)))) continue;
            in.add(captured("o-" + d, day + 36_000_000L, 10_000));
        }
        long paidThrough = MON;
        for (int d = 1; d < 19; d++) {
            long day = MON + d * DAY;
            if (!CAL.isBusinessDay(CAL.dateOf(Instant.ofEpochMilli(day)))) continue;
            if (d >= 7 && d < 17) continue; // held
            long amount = 0;
            for (PspInput c : in) {
                if (c.kind == PspInput.Kind.CAPTURED && c.at >= paidThrough && c.at < day) {
                    amount += c.amountMinor;
                }
            }
            paidThrough = day;
            in.add(payout("po-" + d, day + 3_600_000L, amount, false, "PAID"));
        }
        Collections.shuffle(in, new Random(7)); // arrival order never decides
        run(ledger, in, MON + 20 * DAY);
        // The first held captures (Friday 24 April) are due six business days later (1 May is a
        // TARGET holiday): Tuesday 5 May. The backlog is paid on the 7th, judged at midnight.
        assertEquals(
                List.of("FIRING@2026-05-05T00:00:00Z", "RESOLVED@2026-05-08T00:00:00Z"), states());
        CashAlert firing = alerts.get(0);
        assertTrue(firing.getMessage().contains("name no orders"), firing.getMessage());
        assertTrue(firing.getMessage().startsWith("100.00 EUR"), firing.getMessage());
        assertEquals(
                10_000,
                positions.get(positions.size() - 1).getBalanceMinor(),
                "the last weekday's capture is still owed");
    }

    @Test
    void aFailedPayoutReturnsItsMoneyToTheBalance() {
        PspLedger ledger = new PspLedger(new PspLedgerState(), CAL, KEEP);
        ledger.apply(captured("o-1", MON + 1_000, 5_000));
        ledger.apply(payout("po-1", MON + DAY, 5_000, true, "IN_TRANSIT"));
        ledger.apply(payout("po-1", MON + 2 * DAY, 5_000, true, "PAID"));
        assertEquals(0, ledger.balanceAsOf(MON + 3 * DAY));
        ledger.apply(payout("po-1", MON + 3 * DAY + 5, 5_000, true, "FAILED"));
        assertEquals(0, ledger.balanceAsOf(MON + 3 * DAY), "not failed yet at that time");
        assertEquals(5_000, ledger.balanceAsOf(MON + 4 * DAY), "owed again");
    }

    @Test
    void theBalanceIsReportedWhenItChangesAndSurvivesRollingOutOldDays() {
        PspLedger ledger = new PspLedger(new PspLedgerState(), CAL, KEEP);
        ledger.apply(captured("o-1", MON + 1_000, 5_000));
        ledger.apply(captured("o-2", MON + 2_000, 7_000));
        ledger.apply(
                PspInput.money(
                        PspInput.Kind.REFUNDED, order("o-2", MON, 7_000), MON + 3_000, 7_000));
        run(ledger, List.of(), MON + 60 * DAY);
        assertEquals(
                List.of(0L, 5_000L),
                positions.stream().map(CashPosition::getBalanceMinor).toList(),
                "reported on change only");
        assertEquals("psp:PAYPAL/store-1/EUR", positions.get(1).getScope());
        assertEquals(5_000, ledger.balanceAsOf(MON + 60 * DAY), "kept after the days rolled out");
        assertTrue(!ledger.active(MON + 60 * DAY), "no daily judgement once quiet");
    }

    /**
     * The running totals behind the fee and refund rates: captures and refunds of the days before
     * the boundary, gross and fees of payouts paid by it (a failed one drops out), the same once
     * the days and payouts roll out of the kept horizon.
     */
    @Test
    void theTotalsCountWhatHappenedBeforeEachBoundaryAndSurviveTheRollOut() {
        PspLedgerState state = new PspLedgerState();
        PspLedger ledger = new PspLedger(state, CAL, 2 * DAY);
        List<PspInput> in = new ArrayList<>();
        in.add(captured("o-1", MON + 3_600_000L, 10_000));
        in.add(captured("o-2", MON + DAY + 3_600_000L, 5_000));
        in.add(
                PspInput.money(
                        PspInput.Kind.REFUNDED, order("o-2", MON, 5_000), MON + 2 * DAY, 2_000));
        PspInput paid = payout("po-1", MON + 2 * DAY + 1, 13_000, true, "PAID");
        paid.grossMinor = 15_000;
        paid.feeMinor = 450;
        in.add(paid);
        PspInput failed = payout("po-2", MON + 3 * DAY, 999, true, "PAID");
        failed.grossMinor = 1_000;
        failed.feeMinor = 30;
        in.add(failed);
        in.add(payout("po-2", MON + 4 * DAY + 5, 999, true, "FAILED"));
        run(ledger, in, MON + 9 * DAY);
        java.util.Map<String, String> lastBy = new java.util.TreeMap<>();
        List<String> fees = new ArrayList<>();
        for (CashPosition p : totals) {
            lastBy.put(p.getScope(), p.getBalanceMinor() + "");
            if (p.getScope().startsWith("psp-fees:")) {
                fees.add(p.getBalanceMinor() + "@" + p.getAsOf());
            }
        }
        assertEquals(
                "{psp-captured:PAYPAL/store-1/EUR=15000, psp-fees:PAYPAL/store-1/EUR=450,"
                        + " psp-gross:PAYPAL/store-1/EUR=15000, psp-refunded:PAYPAL/store-1/EUR=2000}",
                lastBy.toString());
        assertEquals(
                List.of(
                        "0@" + Instant.ofEpochMilli(MON),
                        "480@" + Instant.ofEpochMilli(MON + 3 * DAY),
                        "450@" + Instant.ofEpochMilli(MON + 5 * DAY)),
                fees,
                "po-2 counts while paid, not once it failed; only changes are reported");
        assertEquals(0, state.days.length, "the days rolled out; the totals stayed");
    }

    /**
     * A capture waits for the day's end unless orders are overdue or an episode is open; every
     * other input (a payout, an overdue order, one paid out) is judged at its own time.
     */
    @Test
    void aCaptureIsJudgedAtItsOwnTimeOnlyWhileSomethingIsOverdue() {
        PspLedgerState healthy = new PspLedgerState();
        assertTrue(!PspLedgerFunction.judgedAtItsMoment(captured("o-1", MON, 100), healthy));
        assertTrue(
                PspLedgerFunction.judgedAtItsMoment(
                        payout("po-1", MON, 100, true, "PAID"), healthy));
        assertTrue(
                PspLedgerFunction.judgedAtItsMoment(
                        PspInput.order(PspInput.Kind.ORDER_OVERDUE, order("o-1", MON, 1), MON),
                        healthy));
        PspLedgerState overdue = new PspLedgerState();
        overdue.orders = new PspLedgerState.OverdueOrder[] {new PspLedgerState.OverdueOrder()};
        assertTrue(PspLedgerFunction.judgedAtItsMoment(captured("o-2", MON, 100), overdue));
        PspLedgerState episode = new PspLedgerState();
        episode.episodeId = "e-1";
        assertTrue(PspLedgerFunction.judgedAtItsMoment(captured("o-3", MON, 100), episode));
    }
}
