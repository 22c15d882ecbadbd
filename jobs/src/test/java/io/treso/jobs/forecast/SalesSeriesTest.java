package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A store's sales on their way to the bank: FIFO settlement, learned lag, batches, refunds. */
class SalesSeriesTest {
    static final int MON = (int) LocalDate.parse("2026-03-16").toEpochDay();

    @Test
    void aPayoutSettlesTheOldestCapturesAndTeachesTheLag() {
        SalesSeries s = SalesSeries.of("store-1|STRIPE", "EUR");
        for (int d = 0; d < 6; d++) s.capture(MON + d, 10_000);
        s.closeThrough(MON + 5);
        // Three payouts, each two days after the day it pays, arriving three days later.
        for (int d = 0; d < 3; d++) s.payout(MON + d + 1, 10_000, 9_700, MON + d + 3, "FR76");
        assertEquals(3, s.lag.seen);
        assertEquals(3, s.lag.days(9), "capture day to arrival");
        assertEquals(List.of(MON + 3, MON + 4, MON + 5), List.copyOf(s.unpaid.keySet()));
        assertEquals("FR76", s.account);
        assertEquals(9_700, s.netBps(), "net of what was captured in the days each payout covered");
        List<CashForecast.Item> items = s.items(MON + 5, 9, 91);
        // Days 3..5 not paid out yet: each at its day + 3, but never before tomorrow.
        assertEquals(LocalDate.ofEpochDay(MON + 6), items.get(0).date());
        assertEquals(9_700, items.get(0).amountMinor());
        assertEquals(CashForecast.Kind.CAPTURED_NOT_PAID_OUT, items.get(0).kind());
        assertEquals(LocalDate.ofEpochDay(MON + 8), items.get(2).date());
    }

    @Test
    void aMarketplaceThatPaysEveryFourteenDaysPaysItsNextBatchOnItsDay() {
        SalesSeries s = SalesSeries.of("store-3|AMAZON_PAY", "USD");
        for (int d = 0; d < 56; d++) s.capture(MON + d, 1_000);
        for (int k = 1; k <= 3; k++) s.payout(MON + 14 * k, 14_000, 13_000, MON + 14 * k, null);
        assertEquals(1, s.interval.days(1), "two gaps are not a schedule yet");
        s.payout(MON + 56, 14_000, 13_000, MON + 56, null);
        s.closeThrough(MON + 56);
        assertEquals(14, s.interval.days(1));
        // Captured on the payout's day or after it: the next one, 14 days on.
        assertEquals(MON + 70, s.arrival(MON + 56, MON + 56, s.lag.days(3)));
        assertEquals(MON + 70, s.arrival(MON + 60, MON + 56, s.lag.days(3)));
        assertEquals(MON + 84, s.arrival(MON + 70, MON + 56, s.lag.days(3)));
        // Captured before it but not in it: the next one too, not tomorrow.
        assertEquals(MON + 70, s.arrival(MON + 50, MON + 56, s.lag.days(3)));
    }

    @Test
    void refundsTakeBackFromTheDayAndTheModelAndOnlyModeledDaysAreForecast() {
        SalesSeries s = SalesSeries.of("store-1|PAYPAL", "EUR");
        for (int d = 0; d < 14; d++) s.capture(MON + d, d % 7 == 5 ? 20_000 : 10_000);
        s.capture(MON + 13, -4_000);
        s.closeThrough(MON + 13);
        assertTrue(SeasonalSmoothing.ready(s.model));
        assertEquals(6_000, s.unpaid.get(MON + 13), "captured less refunded");
        // A capture for tomorrow already in: not counted as unpaid before its day is closed.
        s.capture(MON + 14, 50_000);
        List<CashForecast.Item> items = s.items(MON + 13, 2, 91);
        assertTrue(items.stream().noneMatch(i -> i.amountMinor() >= 47_000), items.toString());
        long sales =
                items.stream()
                        .filter(i -> i.kind() == CashForecast.Kind.MODELED_SALES)
                        .mapToLong(CashForecast.Item::amountMinor)
                        .sum();
        assertTrue(sales > 0, "sales are modeled once a week is seen");
    }

    @Test
    void aScenarioScalesModeledSalesAndDelaysThePsp() {
        SalesSeries s = SalesSeries.of("store-1|STRIPE", "EUR");
        for (int d = 0; d < 14; d++) s.capture(MON + d, 10_000);
        s.closeThrough(MON + 13);
        ScenarioRules slow =
                ScenarioRules.inForce(
                        List.of(
                                rule(Scenario.Type.SALES, "store-1", 8_000, 0),
                                rule(Scenario.Type.PSP_LAG, "STRIPE", 0, 5)),
                        Long.MAX_VALUE);
        long base = modeled(s.items(MON + 13, 2, 91, ScenarioRules.NONE));
        long scaled = modeled(s.items(MON + 13, 2, 91, slow));
        // Five days later: five days fewer arrive within the horizon, each at 80 %.
        long perDay = modeled(s.items(MON + 13, 2, 1 + 2, ScenarioRules.NONE));
        assertEquals(base * 8 / 10 - perDay * 8 / 10 * 5, scaled, 5);
    }

    private static long modeled(List<CashForecast.Item> items) {
        return items.stream()
                .filter(i -> i.kind() == CashForecast.Kind.MODELED_SALES)
                .mapToLong(CashForecast.Item::amountMinor)
                .sum();
    }

    static Scenario rule(Scenario.Type type, String scope, long factorBps, int days) {
        Scenario r = new Scenario();
        r.scenarioId = "what-if";
        r.type = type;
        r.scope = scope;
        r.factorBps = factorBps;
        r.days = days;
        return r;
    }
}
