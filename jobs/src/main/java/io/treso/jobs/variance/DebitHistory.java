package io.treso.jobs.variance;

import java.util.Arrays;

/** The last debits of an account or counterparty, absolute minor units, oldest first; bounded. */
public final class DebitHistory {
    public long[] amounts = new long[0];

    void add(long amount, int keep) {
        long[] a = Arrays.copyOf(amounts, Math.min(keep, amounts.length + 1));
        if (amounts.length >= keep) {
            System.arraycopy(amounts, amounts.length - keep + 1, a, 0, keep - 1);
        }
        a[a.length - 1] = amount;
        amounts = a;
    }

    long max() {
        long m = 0;
        for (long a : amounts) m = Math.max(m, a);
        return m;
    }

    int size() {
        return amounts.length;
    }

    /** The q-quantile (nearest rank). */
    double quantile(double q) {
        long[] sorted = amounts.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Median and median absolute deviation of the log amounts. */
    double[] logMedianAndMad() {
        double[] logs = new double[amounts.length];
        for (int i = 0; i < logs.length; i++) logs[i] = Math.log(Math.max(1, amounts[i]));
        double median = median(logs);
        double[] dev = new double[logs.length];
        for (int i = 0; i < logs.length; i++) dev[i] = Math.abs(logs[i] - median);
        return new double[] {median, median(dev)};
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
