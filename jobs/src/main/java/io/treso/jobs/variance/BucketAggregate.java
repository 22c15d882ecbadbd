package io.treso.jobs.variance;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums a scope's activity into its bucket as events arrive: never a buffer of events. */
public final class BucketAggregate implements AggregateFunction<Activity, Bucket, Bucket> {
    private static final long serialVersionUID = 1L;
    static final int EVIDENCE = 3;

    @Override
    public Bucket createAccumulator() {
        return new Bucket();
    }

    @Override
    public Bucket add(Activity a, Bucket b) {
        if (b.scope == null) {
            b.family = a.family;
            b.scope = a.scope;
            b.store = a.store;
            b.currency = a.currency;
        }
        b.primary += a.primary;
        b.secondary += a.secondary;
        b.count += a.count;
        b.secondaryCount += a.secondaryCount;
        if (b.family.equals(Bucket.STORE)) {
            b.primarySquares = Bucket.saturatingAdd(b.primarySquares, Bucket.square(a.primary));
            b.primaryCubes = Bucket.saturatingAdd(b.primaryCubes, Bucket.cube(a.primary));
            b.secondarySquares =
                    Bucket.saturatingAdd(b.secondarySquares, Bucket.square(a.secondary));
        }
        if (a.primary != 0 || a.secondary != 0) b.addEvidence(a.eventId, EVIDENCE);
        return b;
    }

    @Override
    public Bucket getResult(Bucket b) {
        return b;
    }

    @Override
    public Bucket merge(Bucket a, Bucket b) {
        a.primary += b.primary;
        a.secondary += b.secondary;
        a.count += b.count;
        a.secondaryCount += b.secondaryCount;
        a.primarySquares = Bucket.saturatingAdd(a.primarySquares, b.primarySquares);
        a.primaryCubes = Bucket.saturatingAdd(a.primaryCubes, b.primaryCubes);
        a.secondarySquares = Bucket.saturatingAdd(a.secondarySquares, b.secondarySquares);
        for (String id : b.evidence) a.addEvidence(id, EVIDENCE);
        return a;
    }
}
