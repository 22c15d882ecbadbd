package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TailsTest {
    @Test
    void poissonUpperTailMatchesTheDirectSum() {
        for (double mu : new double[] {0.5, 3.3, 12, 80}) {
            for (long x : new long[] {1, 4, 12, 30, 120}) {
                double below = 0;
                double p = Math.exp(-mu);
                for (long k = 0; k < x; k++) {
                    below += p;
                    p *= mu / (k + 1);
                }
                assertEquals(Math.max(0, 1 - below), Tails.poissonUpper(x, mu), 1e-9, mu + "/" + x);
            }
        }
    }

    @Test
    void zAndItsTailAreInverse() {
        assertEquals(3.167e-5, Tails.normalUpper(4), 1e-8);
        assertEquals(0.5, Tails.normalUpper(0), 1e-7);
        for (double z : new double[] {-2, 0.5, 2, 4, 6.5}) {
            assertEquals(z, Tails.zOfUpper(Tails.normalUpper(z)), 1e-4);
        }
    }
}
