package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeasonalBaselineTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZonedDateTime MONDAY = ZonedDateTime.of(2026, 3, 16, 0, 0, 0, 0, PARIS);

    @Test
    void slotStatsAreWelfordUntilOneOverAlphaThenExponential() {
        double[] xs = {12, 7, 3, 14, 9, 11, 2, 8};
        SlotStats s = new SlotStats();
        for (double x : xs) s.add(x, 0.05); // 8 < 1/0.05: equal weights
        double mean = 0;
        for (double x : xs) mean += x / xs.length;
        double var = 0;
        for (double x : xs) var += (x - mean) * (x - mean) / xs.length;
        assertEquals(mean, s.mean, 1e-12);
        assertEquals(var, s.var, 1e-12);

        // Past 1/alpha observations, a new level wins over the old one geometrically.
        SlotStats ew = new SlotStats();
        for (int i = 0; i < 20; i++) ew.add(100, 0.5);
        for (int i = 0; i < 10; i++) ew.add(200, 0.5);
        assertEquals(200 - 100 * Math.pow(0.5, 10), ew.mean, 1e-9);
    }

    @Test
    void coldStartGivesNoExpectationThenThePooledModelThenTheSlot() {
        InMemoryScopeStore slots = new InMemoryScopeStore();
        ZonedDateTime tuesday10 = MONDAY.plusDays(1).withHour(10);
        for (int week = 0; week < 6; week++) {
            for (int day = 0; day < 7; day++) {
                for (int h = 0; h < 24; h++) {
                    ZonedDateTime t = MONDAY.plusWeeks(week).plusDays(day).withHour(h);
                    boolean weekend = day >= 5;
                    SeasonalBaseline.update(slots, 0, t, h == 10 ? (weekend ? 50 : 100) : 10, 0.05);
                }
            }
            var e = SeasonalBaseline.expected(slots, 0, tuesday10.plusWeeks(week + 1), 6);
            if (week == 0) {
                assertTrue(e.isPresent(), "after a week the hour of day has 7 observations");
                assertTrue(e.get().pooled());
            }
            if (week == 5) {
                assertFalse(e.get().pooled(), "six weeks: the hour-of-week slot answers");
                assertEquals(100, e.get().mean(), 1e-9);
            }
        }
        assertTrue(
                SeasonalBaseline.expected(new InMemoryScopeStore(), 0, tuesday10, 6).isEmpty(),
                "cold");
    }

    @Test
    void poolingScalesTheHourOfDayByTheDayType() {
        InMemoryScopeStore slots = new InMemoryScopeStore();
        SplittableRandom r = new SplittableRandom(3);
        // Two weeks, weekends at half the weekday level at every hour.
        for (int day = 0; day < 14; day++) {
            for (int h = 0; h < 24; h++) {
                ZonedDateTime t = MONDAY.plusDays(day).withHour(h);
                double level = (day % 7) >= 5 ? 50 : 100;
                SeasonalBaseline.update(slots, 0, t, level + r.nextDouble(-1, 1), 0.05);
            }
        }
        // The Saturday 10:00 slot has 2 observations: the pooled model answers, scaled down.
        var saturday = SeasonalBaseline.expected(slots, 0, MONDAY.plusDays(19).withHour(10), 6);
        var tuesday = SeasonalBaseline.expected(slots, 0, MONDAY.plusDays(15).withHour(10), 6);
        assertTrue(saturday.get().pooled());
        assertEquals(50, saturday.get().mean(), 5);
        assertEquals(100, tuesday.get().mean(), 5);
    }
}
