package io.treso.jobs.variance;

/**
 * A store's refunds, refund count and sales over its last week of buckets (the current one
 * included), kept as running sums: one bucket added and one dropped per hour, instead of reading a
 * week of buckets back for every judgement.
 */
public final class TrailingWeek {
    public long buckets;
    public long refundCount;
    public long refunds;
    public long sales;

    void add(Bucket b, int sign) {
        refundCount += sign * b.secondaryCount;
        refunds += sign * b.secondary;
        sales += sign * b.primary;
    }
}
