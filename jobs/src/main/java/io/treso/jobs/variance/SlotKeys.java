package io.treso.jobs.variance;

/**
 * How the baseline's slot keys ({@code metric × 200 + slot}, moments at 990 and up) map onto the
 * two state tables: hour-of-week slots (0 to 167) by hour, everything else in one pooled table.
 */
final class SlotKeys {
    static final int METRICS = 4;
    private static final int STRIDE = 200;
    private static final int HOURS = 168;
    private static final int POOLED_PER_METRIC = 27; // hour of day, day types, overall
    private static final int MOMENTS = 990;
    static final int POOLED = METRICS * POOLED_PER_METRIC + 10;

    private SlotKeys() {}

    /** The hour of week a key belongs to, or -1 for a pooled key. */
    static int hourOfWeek(int key) {
        if (key >= MOMENTS) return -1;
        int slot = key % STRIDE;
        return slot < HOURS ? slot : -1;
    }

    static int metric(int key) {
        return key / STRIDE;
    }

    static int pooledIndex(int key) {
        if (key >= MOMENTS) return METRICS * POOLED_PER_METRIC + (key - MOMENTS);
        return metric(key) * POOLED_PER_METRIC + (key % STRIDE - HOURS);
    }
}
