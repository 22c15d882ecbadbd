package io.treso.jobs.variance;

import io.treso.connectors.simulator.ShopSimulator;
import java.util.SplittableRandom;

/** Store hours for tests: Poisson(30 x factor) orders of 15 + Exp(60) EUR, 4 % refunds x refund. */
final class SyntheticHours {
    static final long HOUR = 3_600_000L;
    private final SplittableRandom random;

    SyntheticHours(long seed) {
        this.random = new SplittableRandom(seed);
    }

    Bucket hour(String scope, String store, long start, double factor, double refund) {
        Bucket b = new Bucket();
        b.family = Bucket.STORE;
        b.scope = scope;
        b.store = store;
        b.currency = "EUR";
        b.start = start;
        b.end = start + HOUR;
        int n = poisson(30 * factor);
        for (int i = 0; i < n; i++) {
            long amount = amount();
            b.primary += amount;
            b.primarySquares += amount * amount;
            b.primaryCubes += (amount / 100) * (amount / 100) * (amount / 100);
            b.count++;
            b.addEvidence("o" + start + "-" + i, 3);
        }
        int refunds = poisson(30 * 0.04 * refund);
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
