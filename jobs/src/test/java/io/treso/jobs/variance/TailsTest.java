package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The pmf summed directly from 0, for mean mu and variance mu + c mu² (c = 0: Poisson). */
    private static double[] pmf(double mu, double c, int upTo) {
        double[] p = new double[upTo + 1];
        if (c == 0) {
            p[0] = Math.exp(-mu);
            for (int k = 1; k <= upTo; k++) p[k] = p[k - 1] * mu / k;
        } else {
            double r = 1 / c, q = mu / (mu + r);
            p[0] = Math.pow(r / (r + mu), r);
            for (int k = 1; k <= upTo; k++) p[k] = p[k - 1] * (k - 1 + r) / k * q;
        }
        return p;
    }

    @Test
    void bothTailsOfPoissonAndNegativeBinomialMatchTheDirectSum() {
        for (double c : new double[] {0, 0.02, 0.3}) {
            for (double mu : new double[] {0.7, 4, 24, 150}) {
                double[] p = pmf(mu, c, 2_000);
                for (int x : new int[] {0, 1, 3, 10, 24, 60, 200}) {
                    double lower = 0;
                    for (int k = 0; k <= x; k++) lower += p[k];
                    double upper = 0;
                    for (int k = x; k < p.length; k++) upper += p[k];
                    String at = "mu " + mu + " c " + c + " x " + x;
                    assertEquals(lower, Tails.countLower(x, mu, c), 1e-9 + 1e-6 * lower, at);
                    assertEquals(upper, Tails.countUpper(x, mu, c), 1e-9 + 1e-6 * upper, at);
                }
            }
        }
    }

    @Test
    void overdispersionWeakensTheEvidenceAndZHasTheSideOfTheChange() {
        // A day of 5 orders where 24 were usual: strong evidence if days never vary, weaker if the
        // day's rate itself varies by 15 %.
        double poisson = Tails.countZ(5, 24, 0);
        double varying = Tails.countZ(5, 24, 0.15 * 0.15);
        assertTrue(poisson < -4.3, "Poisson z " + poisson);
        assertTrue(varying > poisson && varying < -3, "negative binomial z " + varying);
        assertTrue(Tails.countZ(12, 1.2, 0) > 5, "ten times the usual refunds");
        assertEquals(0, Tails.countZ(24, 24, 0.1));
        assertEquals(1, Tails.countUpper(0, 3, 0.1));
        assertEquals(0, Tails.countLower(-1, 3, 0.1));
    }

    @Test
    void logGammaIsTheFactorialOnIntegers() {
        double f = 1;
        for (int n = 1; n < 30; n++) {
            f *= n;
            assertEquals(Math.log(f), Tails.logGamma(n + 1), 1e-10 * Math.log(f) + 1e-12);
        }
        assertEquals(Math.log(Math.sqrt(Math.PI)), Tails.logGamma(0.5), 1e-12);
    }
}
