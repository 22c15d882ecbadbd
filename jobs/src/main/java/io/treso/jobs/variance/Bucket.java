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

    /**
     * Exact integer sums (saturating), so they never depend on the order events arrived in: the
     * squares in minor units², the cubes in (minor units / 100)³.
     */
    public long primarySquares;

    public long primaryCubes;
    public long secondarySquares;
    public String[] evidence = new String[0];

    /** Set when judged: the planned uplift, and the expectations of the three metrics. */
    public double uplift = 1;

    public boolean ready;
    public double[] expected = new double[0];
    public double[] variance = new double[0];

    /** a + b, held at Long.MAX_VALUE instead of wrapping. */
    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    static long square(long x) {
        long a = Math.abs(x);
        return a > 3_037_000_499L ? Long.MAX_VALUE : a * a;
    }

    /** (x / 100)³: a cube in hundreds of minor units, exact and far from overflow. */
    static long cube(long x) {
        long h = Math.abs(x) / 100;
        return h > 2_097_151L ? Long.MAX_VALUE : h * h * h;
    }

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

    /**
     * This bucket without the scope's names, as state keeps it: every bucket of a scope shares
     * them, and reading four strings back for each of the week's buckets was most of a bucket read.
     */
    public Bucket withoutIdentity() {
        Bucket b = new Bucket();
        b.start = start;
        b.end = end;
        b.primary = primary;
        b.secondary = secondary;
        b.count = count;
        b.secondaryCount = secondaryCount;
        b.primarySquares = primarySquares;
        b.primaryCubes = primaryCubes;
        b.secondarySquares = secondarySquares;
        b.evidence = evidence;
        b.uplift = uplift;
        b.ready = ready;
        b.expected = expected;
        b.variance = variance;
        return b;
    }

    /** Puts back the names {@link #withoutIdentity} left out, from the scope's identity. */
    public Bucket withIdentityOf(Bucket identity) {
        family = identity.family;
        scope = identity.scope;
        store = identity.store;
        currency = identity.currency;
        return this;
    }

    /**
     * Keeps the {@code max} smallest ids, sorted: which ids a bucket shows must not depend on the
     * order its events arrived in, or replay and Kafka would explain the same alert differently.
     */
    void addEvidence(String id, int max) {
        evidence = withEvidence(evidence, id, max);
    }

    /** {@code ids} (sorted) with {@code id}, still the {@code max} smallest. */
    static String[] withEvidence(String[] ids, String id, int max) {
        int at = java.util.Arrays.binarySearch(ids, id);
        if (at >= 0) return ids;
        at = -at - 1;
        if (at >= max) return ids;
        String[] e = new String[Math.min(max, ids.length + 1)];
        System.arraycopy(ids, 0, e, 0, at);
        e[at] = id;
        System.arraycopy(ids, at, e, at + 1, e.length - at - 1);
        return e;
    }
}
