package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The band, on numbers worked by hand. */
class ForecastBandTest {
    @Test
    void oneModelWidensWithTheSquareRootOfTheHorizon() {
        // σ = 1.2533 × 1,000 = 1,253.3; 1.2816 × 1,253.3 = 1,606.23 → 1,606.
        assertEquals(1_606, ForecastBand.halfWidth(new long[] {1_000}, 1));
        // Four days: σ doubles, 3,212.46 → 3,212.
        assertEquals(3_212, ForecastBand.halfWidth(new long[] {1_000}, 4));
    }

    @Test
    void modelsAddInVarianceNotInWidth() {
        // 300 and 400: σ = 1.2533 × √(300² + 400²) = 626.65; × 1.2816 = 803.11 → 803, not the
        // 482 + 643 = 1,125 that adding widths would give.
        assertEquals(803, ForecastBand.halfWidth(new long[] {300, 400}, 1));
        assertEquals(0, ForecastBand.halfWidth(new long[] {}, 91), "no model, no band");
        assertThrows(
                IllegalArgumentException.class, () -> ForecastBand.halfWidth(new long[] {1}, 0));
        assertThrows(
                IllegalArgumentException.class, () -> ForecastBand.halfWidth(new long[] {-1}, 1));
    }
}
