package io.treso.jobs.variance;

import io.treso.connectors.simulator.ShopSimulator;
import java.util.SplittableRandom;

/**
 * Store hours for tests, in a shape of their own (not the simulator's): a flat day of Poisson(rate
 * x factor) orders of 15 + Exp(60) EUR, 4 % refunds x refund; optionally a day-level rate that
 * varies (log-normal, coefficient of variation {@code dayCv}), as real shops' days do.
 */
final class SyntheticHours {
    static final long HOUR = 3_600_000L;
    private final SplittableRandom random;
    private final double perHour;
    private final double dayCv;
    private long day = Long.MIN_VALUE;
    private double dayFactor = 1;

    SyntheticHours(long seed) {
        this(seed, 30, 0);
    }

    SyntheticHours(long seed, double perHour, double dayCv) {
        this.random = new SplittableRandom(seed);
        this.perHour = perHour;
        this.dayCv = dayCv;
    }

    Bucket hour(String scope, String store, long start, double factor, double refund) {
        Bucket b = new Bucket();
        b.family = Bucket.STORE;
        b.scope = scope;
        b.store = store;
        b.currency = "EUR";
        b.start = start;
        b.end = start + HOUR;
        if (start / 86_400_000L != day) {
            day = start / 86_400_000L;
            double sigma = Math.sqrt(Math.log(1 + dayCv * dayCv));
            dayFactor = Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
        }
        int n = poisson(perHour * factor * dayFactor);
        for (int i = 0; i < n; i++) {
            long amount = amount();
            b.primary += amount;
            b.primarySquares += amount * amount;
            b.primaryCubes += (amount / 100) * (amount / 100) * (amount / 100);
            b.count++;
            b.addEvidence("o" + start + "-" + i, 3);
        }
        int refunds = poisson(perHour * 0.04 * refund * dayFactor);
        for (int i = 0; i < refunds; i++) {
            long amount = amount();
            b.secondary += amount;
            b.secondarySquares += amount * amount;
            b.secondaryCount++;
        }
        return b;
    }

    double uniform(double from, double to) {
        return random.nextDouble(from, to);
    }

    private long amount() {
        return 1_500 + (long) (-Math.log(1 - random.nextDouble()) * 6_000);
    }

    private int poisson(double lambda) {
        return ShopSimulator.poisson(random, lambda);
    }
}
