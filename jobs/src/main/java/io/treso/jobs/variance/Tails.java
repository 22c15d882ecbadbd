package io.treso.jobs.variance;

/**
 * Tail probabilities, so that small counts are judged as counts: exact Poisson and negative
 * binomial tails, both sides, and the normal deviate with the same tail (the z an alert reports).
 * The negative binomial is the Poisson whose rate itself varies from day to day: mean μ, variance μ
 * + cμ², where c is the squared coefficient of variation of that rate ({@code c = 0} is Poisson).
 */
final class Tails {
    private Tails() {}

    /** Below this excess dispersion the negative binomial is the Poisson, to double precision. */
    private static final double POISSON_C = 1e-9;

    private static final int MAX_TERMS = 1_000_000;

    /**
     * The signed z of observing {@code x} where a count of mean {@code mu} and dispersion {@code c}
     * was expected: the normal deviate with the same tail on the side {@code x} fell, so a drop and
     * a spike read alike (0 when {@code x} is the mean).
     */
    static double countZ(long x, double mu, double c) {
        if (x > mu) return zOfUpper(countUpper(x, mu, c));
        if (x < mu) return -zOfUpper(countLower(x, mu, c));
        return 0;
    }

    /** P(X >= x), summed from x upward in log space. */
    static double countUpper(long x, double mu, double c) {
        if (x <= 0) return 1;
        if (mu <= 0) return 0;
        if (x < mu) return 1 - countLower(x - 1, mu, c); // the small side is summed, never 1 − ε
        double term = Math.exp(logPmf(x, mu, c));
        double sum = term;
        for (long k = x; term > sum * 1e-16 && k < x + MAX_TERMS; k++) {
            term *= ratio(k, mu, c);
            sum += term;
        }
        return Math.min(1, sum);
    }

    /** P(X <= x), summed from x downward, so a tiny lower tail keeps its precision. */
    static double countLower(long x, double mu, double c) {
        if (x < 0) return 0;
        if (mu <= 0) return 1;
        if (x > mu) return 1 - countUpper(x + 1, mu, c);
        double term = Math.exp(logPmf(x, mu, c));
        double sum = term;
        for (long k = x - 1; k >= 0 && term > sum * 1e-16 && k > x - MAX_TERMS; k--) {
            term /= ratio(k, mu, c);
            sum += term;
        }
        return Math.min(1, sum);
    }

    /** P(X = k + 1) / P(X = k). */
    private static double ratio(long k, double mu, double c) {
        if (c < POISSON_C) return mu / (k + 1);
        double r = 1 / c;
        return (k + r) / (k + 1) * (mu / (mu + r));
    }

    private static double logPmf(long k, double mu, double c) {
        if (c < POISSON_C) return -mu + k * Math.log(mu) - logGamma(k + 1);
        double r = 1 / c;
        return logGamma(k + r)
                - logGamma(r)
                - logGamma(k + 1)
                + r * Math.log(r / (r + mu))
                + k * Math.log(mu / (r + mu));
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    /** ln Γ(x) for x > 0 (Lanczos, g = 7: relative error about 1e-15). */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        x -= 1;
        double a = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** P(X >= x) for X ~ Poisson(mu). */
    static double poissonUpper(long x, double mu) {
        return countUpper(x, mu, 0);
    }

    /** Q(z) = P(Z >= z), from erfc with a fractional error below 1.2e-7. */
    static double normalUpper(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** The z with P(Z >= z) = p (Acklam's rational approximation, relative error 1.2e-9). */
    static double zOfUpper(double p) {
        if (p <= 0) return 40;
        if (p >= 1) return -40;
        return -inverseCdf(p);
    }

    /** Numerical Recipes' erfc coefficients (Chebyshev fit). */
    private static final double[] E = {
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277
    };

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = E[E.length - 1];
        for (int i = E.length - 2; i >= 0; i--) poly = E[i] + t * poly;
        double r = t * Math.exp(-z * z + poly);
        return x >= 0 ? r : 2 - r;
    }

    private static final double[] A = {
        -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    private static final double[] B = {
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01
    };
    private static final double[] C = {
        -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    private static final double[] D = {
        7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };

    /** Φ⁻¹(p). */
    private static double inverseCdf(double p) {
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseCdf(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
                * q
                / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
}
