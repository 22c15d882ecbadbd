package io.treso.jobs.variance;

/**
 * Several slot statistics stored as one state value: a scope's pooled levels and moments in one
 * table, and each hour-of-week slot's metrics in another, so a judgement reads and writes a few
 * values instead of one per statistic.
 */
public final class SlotTable {
    public long[] n = new long[0];
    public double[] mean = new double[0];
    public double[] var = new double[0];

    static SlotTable of(int size) {
        SlotTable t = new SlotTable();
        t.n = new long[size];
        t.mean = new double[size];
        t.var = new double[size];
        return t;
    }

    /** A copy of entry {@code i}; null when it never learned. */
    SlotStats get(int i) {
        if (i >= n.length || n[i] == 0) return null;
        SlotStats s = new SlotStats();
        s.n = n[i];
        s.mean = mean[i];
        s.var = var[i];
        return s;
    }

    void set(int i, SlotStats s) {
        n[i] = s.n;
        mean[i] = s.mean;
        var[i] = s.var;
    }
}
