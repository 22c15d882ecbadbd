package io.treso.jobs.variance;

/**
 * What one judged window held and was expected to hold, summed bucket by bucket: read from the kept
 * buckets for a trailing window, kept as running sums for the local day and week (a week of buckets
 * is never read back). Each bucket keeps the expectations it was judged with, so a window never
 * compares itself with a baseline that has already learned from it.
 */
public final class WindowSums {
    static final int MAX_EVIDENCE = 10;

    /** Where the window began, and its first bucket: a window that began late is incomplete. */
    public long periodStart;

    public long from = -1;
    public long to;
    public int buckets;

    /** Every bucket had its sales, and its refund, expectations. */
    public boolean salesReady = true;

    public boolean refundsReady = true;

    public long orders;
    public long sales;
    public long refundCount;
    public long refunds;
    public double expectedOrders;
    public double expectedSales;
    public double salesVariance;
    public double expectedRefundCount;
    public String[] evidence = new String[0];

    /**
     * The local day keeps each bucket's figures too (in this order: orders, expected orders, sales,
     * expected sales, sales variance, refund count, expected refund count, refunds), so that every
     * stretch of the day that ends now can be judged: a collapse from mid-morning is diluted by the
     * morning in the day's total, not in the stretch since it began.
     */
    public double[][] perBucket = new double[0][];

    static final int FIGURES = 8;

    static WindowSums startingAt(long periodStart) {
        WindowSums w = new WindowSums();
        w.periodStart = periodStart;
        return w;
    }

    static WindowSums keepingBuckets(long periodStart) {
        WindowSums w = startingAt(periodStart);
        w.perBucket = new double[FIGURES][];
        for (int i = 0; i < FIGURES; i++) w.perBucket[i] = new double[0];
        return w;
    }

    /** The stretch from bucket {@code i} (0 is the first) to now, as a window of its own. */
    WindowSums stretchFrom(int i, long bucketMillis) {
        WindowSums w = startingAt(periodStart);
        w.from = from + i * bucketMillis;
        w.to = to;
        w.buckets = buckets - i;
        w.salesReady = salesReady;
        w.refundsReady = refundsReady;
        double[] sum = new double[FIGURES];
        for (int f = 0; f < FIGURES; f++) {
            for (int k = i; k < buckets; k++) sum[f] += perBucket[f][k];
        }
        w.orders = Math.round(sum[0]);
        w.expectedOrders = sum[1];
        w.sales = Math.round(sum[2]);
        w.expectedSales = sum[3];
        w.salesVariance = sum[4];
        w.refundCount = Math.round(sum[5]);
        w.expectedRefundCount = sum[6];
        w.refunds = Math.round(sum[7]);
        w.evidence = evidence;
        return w;
    }

    void add(Bucket b) {
        if (from < 0) from = b.start;
        to = b.end;
        buckets++;
        boolean expected = b.ready && b.expected.length > ScopeVariance.REFUND_COUNT;
        salesReady &= expected;
        refundsReady &= expected && !Double.isNaN(b.expected[ScopeVariance.REFUND_COUNT]);
        orders += b.count;
        sales += b.primary;
        refundCount += b.secondaryCount;
        refunds += b.secondary;
        if (expected) {
            expectedOrders += b.expected[ScopeVariance.ORDERS];
            expectedSales += b.expected[ScopeVariance.SALES];
            salesVariance += b.variance[ScopeVariance.SALES];
            if (!Double.isNaN(b.expected[ScopeVariance.REFUND_COUNT])) {
                expectedRefundCount += b.expected[ScopeVariance.REFUND_COUNT];
            }
        }
        for (String id : b.evidence) evidence = Bucket.withEvidence(evidence, id, MAX_EVIDENCE);
        if (perBucket.length == FIGURES) {
            double refundExpectation = expected ? b.expected[ScopeVariance.REFUND_COUNT] : 0;
            double[] figures = {
                b.count,
                expected ? b.expected[ScopeVariance.ORDERS] : 0,
                b.primary,
                expected ? b.expected[ScopeVariance.SALES] : 0,
                expected ? b.variance[ScopeVariance.SALES] : 0,
                b.secondaryCount,
                Double.isNaN(refundExpectation) ? 0 : refundExpectation,
                b.secondary
            };
            for (int f = 0; f < FIGURES; f++) {
                double[] a = java.util.Arrays.copyOf(perBucket[f], perBucket[f].length + 1);
                a[a.length - 1] = figures[f];
                perBucket[f] = a;
            }
        }
    }

    /** Began with its period: the day or week was followed from its start. */
    boolean complete() {
        return from == periodStart;
    }

    /** Whole days the window spans, at least one: day-to-day variation averages over them. */
    double days() {
        return Math.max(1, (to - from) / 86_400_000.0);
    }
}
