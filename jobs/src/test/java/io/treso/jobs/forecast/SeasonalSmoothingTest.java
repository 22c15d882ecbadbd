package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** Holt-Winters in minor units, against the textbook formulas computed exactly. */
class SeasonalSmoothingTest {
    static final SeasonalSmoothing HW = new SeasonalSmoothing(3_000, 1_000, 2_000);

    /** Sales with a weekend peak and a slow rise: 1,000.00 on weekdays, 1,800.00 at weekends. */
    static long sales(int day) {
        long base = 100_000 + day * 500L;
        return day % 7 >= 5 ? base + 80_000 : base;
    }

    @Test
    void theFirstWeekSetsLevelAndWeekdayOffsets() {
        SeasonalSmoothing.State s = new SeasonalSmoothing.State();
        for (int d = 0; d < 6; d++) HW.observe(s, sales(d));
        assertFalse(SeasonalSmoothing.ready(s));
        assertThrows(IllegalStateException.class, () -> SeasonalSmoothing.forecast(s, 1));
        HW.observe(s, sales(6));
        assertTrue(SeasonalSmoothing.ready(s));
        long sum = 0;
        for (int d = 0; d < 7; d++) sum += sales(d);
        assertEquals(Math.round(sum / 7.0), s.level);
        assertEquals(0, s.trend);
        assertEquals(sales(5) - s.level, s.season[5], "Saturday's offset");
        // The next day is day 7, a Monday (slot 0) again.
        assertEquals(s.level + s.season[0], SeasonalSmoothing.forecast(s, 1));
    }

    /**
     * Each update is the textbook one, ℓ = α(y − s) + (1 − α)(ℓ + b), b = β(ℓ' − ℓ) + (1 − β)b, s =
     * γ(y − ℓ') + (1 − γ)s, computed here in exact decimals: after eight weeks our rounded minor
     * units are within a few units of it.
     */
    @Test
    void updatesFollowTheDirectComputation() {
        SeasonalSmoothing.State s = new SeasonalSmoothing.State();
        for (int d = 0; d < 7; d++) HW.observe(s, sales(d));
        BigDecimal a = new BigDecimal("0.3"), b = new BigDecimal("0.1"), g = new BigDecimal("0.2");
        BigDecimal level = BigDecimal.valueOf(s.level), trend = BigDecimal.ZERO;
        BigDecimal[] season = new BigDecimal[7];
        for (int i = 0; i < 7; i++) season[i] = BigDecimal.valueOf(s.season[i]);
        for (int d = 7; d < 63; d++) {
            long y = sales(d) + (d % 3 == 0 ? 7_000 : -3_000); // noise
            HW.observe(s, y);
            BigDecimal yy = BigDecimal.valueOf(y);
            int k = d % 7;
            BigDecimal next =
                    a.multiply(yy.subtract(season[k]))
                            .add(BigDecimal.ONE.subtract(a).multiply(level.add(trend)));
            trend =
                    b.multiply(next.subtract(level))
                            .add(BigDecimal.ONE.subtract(b).multiply(trend));
            season[k] =
                    g.multiply(yy.subtract(next))
                            .add(BigDecimal.ONE.subtract(g).multiply(season[k]));
            level = next;
        }
        assertEquals(level.doubleValue(), s.level, 5, "level");
        assertEquals(trend.doubleValue(), s.trend, 5, "trend");
        for (int i = 0; i < 7; i++)
            assertEquals(season[i].doubleValue(), s.season[i], 5, "slot " + i);
        BigDecimal direct =
                level.add(trend.multiply(BigDecimal.valueOf(10))).add(season[(62 + 10) % 7]);
        assertEquals(
                direct.round(MathContext.DECIMAL64).doubleValue(),
                SeasonalSmoothing.forecast(s, 10),
                20,
                "ten days out");
    }

    @Test
    void itLearnsTheWeekAndTheTrendAndItsErrorShrinks() {
        SeasonalSmoothing.State s = new SeasonalSmoothing.State();
        for (int d = 0; d < 14; d++) HW.observe(s, sales(d));
        long early = s.errorMinor;
        for (int d = 14; d < 120; d++) HW.observe(s, sales(d));
        assertTrue(s.errorMinor < early, s.errorMinor + " < " + early);
        for (int h : new int[] {1, 5, 6, 14}) {
            long want = sales(119 + h);
            long got = SeasonalSmoothing.forecast(s, h);
            assertTrue(Math.abs(got - want) < want / 50, "h=" + h + ": " + got + " vs " + want);
        }
    }

    @Test
    void blendRoundsHalfUpAndRefusesBadCoefficients() {
        assertEquals(2, SeasonalSmoothing.blend(5_000, 1, 2), "1.5 rounds up");
        assertEquals(-1, SeasonalSmoothing.blend(5_000, -1, -2), "-1.5 rounds up to -1");
        assertEquals(7, SeasonalSmoothing.blend(10_000, 7, 99));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalSmoothing(10_001, 0, 0));
    }
}
