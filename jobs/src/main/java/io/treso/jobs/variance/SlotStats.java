package io.treso.jobs.variance;

import java.io.Serializable;

/**
 * Running mean and variance of one series in three numbers, never the observations: equal weights
 * (exactly Welford's population mean and variance) until {@code 1/alpha} observations, then
 * exponentially weighted, so a baseline follows a business that grows.
 */
public final class SlotStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public long n;
    public double mean;
    public double var;

    public void add(double x, double alpha) {
        n++;
        double a = Math.max(alpha, 1.0 / n);
        double d = x - mean;
        mean += a * d;
        var = (1 - a) * (var + a * d * d);
    }

    public double stddev() {
        return Math.sqrt(var);
    }
}
