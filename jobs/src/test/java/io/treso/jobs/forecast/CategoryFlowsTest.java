package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.ForecastPoint;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spending habits: scattered debits no item explains, averaged per category and weekday. */
class CategoryFlowsTest {
    static final int MON = (int) LocalDate.parse("2026-03-02").toEpochDay();

    static CategoryFlows.Line line(int day, long amount, String category, String who) {
        CategoryFlows.Line l = new CategoryFlows.Line();
        l.time = day * 86_400_000L + 40_000_000L;
        l.day = day;
        l.amountMinor = amount;
        l.counterparty = who;
        l.reference = category; // classified by it below
        l.who = who;
        return l;
    }

    /** Four weeks of 3 weekday purchases of 50.00 at new merchants, none at weekends. */
    static List<CategoryFlows.Line> weekdays() {
        List<CategoryFlows.Line> lines = new ArrayList<>();
        for (int d = MON; d < MON + 28; d++) {
            if (LocalDate.ofEpochDay(d).getDayOfWeek().getValue() >= 6) continue;
            for (int k = 0; k < 3; k++) lines.add(line(d, -5_000, "OTHER", "shop " + d + "-" + k));
        }
        return lines;
    }

    @Test
    void weekdaySpendingIsExpectedOnWeekdaysAndAOneOffIsLeftOut() {
        List<CategoryFlows.Line> lines = weekdays();
        lines.add(line(MON + 10, -900_000, "OTHER", "a new van")); // 60 times the median
        List<CategoryFlows.Habit> h =
                CategoryFlows.habits(
                        lines, Long.MAX_VALUE, MON + 27, MON, Set.of(), l -> l.reference);
        assertEquals(1, h.size());
        assertEquals("OTHER", h.get(0).category());
        assertEquals(15_000, h.get(0).byWeekday()[0], "Mondays");
        assertEquals(0, h.get(0).byWeekday()[6], "Sundays");
        assertEquals(0, h.get(0).errorMinor(), "the same every weekday");
    }

    @Test
    void tooLittleHistoryTooFewLinesAndPlannedCounterpartiesAreNotHabits() {
        List<CategoryFlows.Line> lines = weekdays();
        assertTrue(
                CategoryFlows.habits(
                                lines, Long.MAX_VALUE, MON + 10, MON, Set.of(), l -> l.reference)
                        .isEmpty(),
                "under two weeks of history");
        assertTrue(
                CategoryFlows.habits(
                                lines.subList(0, 4),
                                Long.MAX_VALUE,
                                MON + 27,
                                MON,
                                Set.of(),
                                l -> l.reference)
                        .isEmpty(),
                "four purchases are no habit");
        List<CategoryFlows.Line> one = new ArrayList<>();
        for (CategoryFlows.Line l : lines) {
            l.who = "acme packaging sarl";
            one.add(l);
        }
        assertTrue(
                CategoryFlows.habits(
                                one,
                                Long.MAX_VALUE,
                                MON + 27,
                                MON,
                                Set.of("acme packaging sarl"),
                                l -> l.reference)
                        .isEmpty(),
                "a supplier already planned");
        assertTrue(
                CategoryFlows.habits(
                                lines, MON * 86_400_000L, MON + 27, MON, Set.of(), l -> l.reference)
                        .isEmpty(),
                "nothing booked yet at that close");
    }

    @Test
    void theBookForecastsScatteredCardSpendingAsSpending() {
        assertEquals(5_001, spendingPerDay(false));
        assertEquals(0, spendingPerDay(true), "the treasurer's rule says these are transfers");
    }

    /** The spending forecast 21-29 days in, the same each day, or fails. */
    static long spendingPerDay(boolean transfers) {
        ForecastBook b = ForecastBookTest.book();
        if (transfers) {
            ForecastEvent rule =
                    ForecastEvent.of(
                                    io.treso.event.ControlCommand.newBuilder()
                                            .setEventId("cat")
                                            .setOccurredAt(java.time.Instant.EPOCH)
                                            .setKind("BANK_CATEGORY")
                                            .setScope("*")
                                            .setVersion(1)
                                            .setEffectiveAt(java.time.Instant.EPOCH)
                                            .setParams(
                                                    java.util.Map.of(
                                                            "rule.1",
                                                            "category=INTERNAL_TRANSFER;pattern=MERCHANT"))
                                            .build())
                            .orElseThrow();
            b.apply(rule);
        }
        int d0 = ForecastBookTest.D0;
        for (int d = 0; d < 21; d++) {
            for (int k = 0; k < 2; k++) {
                b.apply(
                        ForecastBookTest.line(
                                d, -2_500 - k, "CB MERCHANT " + d + "-" + k, "CARTE"));
            }
        }
        b.apply(ForecastBookTest.close(20, 1_000_000));
        DaySnapshot s =
                b.snapshot(d0 + 20, ForecastBookTest.T0 + 21 * ForecastBookTest.DAY, List.of(), 3);
        List<ForecastPoint> points =
                b.combine(b.waiting(ForecastBookTest.ACCOUNT).remove(0), s).points();
        java.util.Set<Long> perDay = new java.util.TreeSet<>();
        for (int d = 21; d < 30; d++) {
            LocalDate day = LocalDate.ofEpochDay(d0 + d);
            long spending =
                    points.stream()
                            .filter(
                                    p ->
                                            p.getScope().equals(ForecastBookTest.ACCOUNT)
                                                    && p.getDate().equals(day))
                            .mapToLong(
                                    p ->
                                            p.getOutflowByKind()
                                                    .getOrDefault(
                                                            CashForecast.Kind.CATEGORY_FLOW.name(),
                                                            0L))
                            .sum();
            perDay.add(spending);
        }
        assertEquals(1, perDay.size(), "the same every day: " + perDay);
        return perDay.iterator().next();
    }

    @Test
    void aCloseReadsItsDaysSnapshotNotTheBookTheOtherStreamsMovedOn() {
        List<List<ForecastPoint>> runs = new ArrayList<>();
        for (boolean aheadOfTheBank : new boolean[] {false, true}) {
            ForecastBook b = ForecastBookTest.book();
            int d0 = ForecastBookTest.D0;
            for (int d = 0; d < 21; d++) {
                b.apply(ForecastBookTest.line(d, -2_500 - d, "CB MERCHANT " + d, "CARTE"));
            }
            b.apply(ForecastBookTest.close(20, 1_000_000));
            DaySnapshot s =
                    b.snapshot(
                            d0 + 20, ForecastBookTest.T0 + 21 * ForecastBookTest.DAY, List.of(), 3);
            if (aheadOfTheBank) {
                // The shops' and accountants' streams ran days ahead: a bill from one of those
                // merchants and a VAT regime paying another arrive before the bank's close.
                ForecastEvent bill =
                        ForecastBookTest.bill(
                                "BILL-9",
                                40,
                                10_000,
                                ForecastBookTest.T0 + 25 * ForecastBookTest.DAY);
                bill.counterparty = "CB MERCHANT 3";
                b.apply(bill);
                ForecastEvent vat = ForecastBookTest.vatRule();
                vat.vat.payee = "CB MERCHANT 4";
                b.apply(vat);
            }
            runs.add(b.combine(b.waiting(ForecastBookTest.ACCOUNT).remove(0), s).points());
        }
        assertEquals(runs.get(0), runs.get(1));
    }
}
