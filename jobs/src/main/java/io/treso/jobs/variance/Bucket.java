package io.treso.jobs.variance;

/**
 * One scope's activity in one bucket (an hour by default), summed incrementally by the window's
 * aggregate: for a store, sales ({@code primary}), refunds and chargebacks ({@code secondary}) and
 * captured orders ({@code count}); for a PSP and currency, charges, fees and charge lines. Once
 * judged it also keeps what was expected of it, so a window never compares itself with a baseline
 * that has already learned from it.
 */
public final class Bucket {
    public static final String STORE = "store";
    public static final String PSP = "psp";

    public String family;
    public String scope;

    /** The store id (store family), for its zone and promotions; null for a PSP. */
    public String store;

    public String currency;
    public long start;
    public long end;
    public long primary;
    public long secondary;
    public long count;

    /** Refunds and chargebacks counted (store); sums of squared amounts, for the variance. */
    public long secondaryCount;

    public double primarySquares;
    public double primaryCubes;
    public double secondarySquares;
    public String[] evidence = new String[0];

    /** Set when judged: the planned uplift, and the expectations of the three metrics. */
    public double uplift = 1;

    public boolean ready;
    public double[] expected = new double[0];
    public double[] variance = new double[0];

    public String key() {
        return family + "|" + scope;
    }

    public static Bucket empty(Bucket identity, long start, long end) {
        Bucket b = new Bucket();
        b.family = identity.family;
        b.scope = identity.scope;
        b.store = identity.store;
        b.currency = identity.currency;
        b.start = start;
        b.end = end;
        return b;
    }

    /** Up to {@code max} evidence ids, the earliest first. */
    void addEvidence(String id, int max) {
        if (evidence.length >= max) return;
        String[] e = java.util.Arrays.copyOf(evidence, evidence.length + 1);
        e[evidence.length] = id;
        evidence = e;
    }
}
