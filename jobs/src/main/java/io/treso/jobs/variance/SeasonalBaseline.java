package io.treso.jobs.variance;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * What a bucket usually holds, per local hour-of-week slot, pooled where a slot is young.
 *
 * <p>Each metric keeps 168 hour-of-week slots, and a pooled model: 24 hour-of-day slots over all
 * days, scaled by a day-type factor (the weekday or weekend level over the overall level), so E[x |
 * day type, hour] = E[x | hour] × E[x | day type] / E[x]. Raw values feed every level, so the
 * estimate carries no bias from factors that were still moving while it learned. A slot with {@code
 * minHistory} observations answers for itself (that takes {@code minHistory} weeks); before that
 * the pooled model answers (the hour of day learns seven times a week), scaled back by the factor.
 * Neither ready: no expectation, so no alert (cold start).
 */
public final class SeasonalBaseline {
    private SeasonalBaseline() {}

    /** Where slot statistics live: a keyed map state, or a map in tests. */
    public interface Slots {
        SlotStats get(int key);

        void put(int key, SlotStats stats);
    }

    /** The expected value of one bucket, its variance, and whether the pooled model gave it. */
    public record Expectation(double mean, double variance, long n, boolean pooled) {
        /** The variance with Bessel's correction: a young slot's spread is underestimated. */
        public double unbiasedVariance() {
            return n > 1 ? variance * n / (n - 1) : variance;
        }
    }

    private static final int STRIDE = 200;
    private static final int HOUR_OF_DAY = 168;
    private static final int DAY_TYPE = 192;
    private static final int OVERALL = 194;

    static int hourOfWeek(ZonedDateTime t) {
        return (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
    }

    static int dayType(ZonedDateTime t) {
        DayOfWeek d = t.getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 1 : 0;
    }

    public static Optional<Expectation> expected(
            Slots slots, int metric, ZonedDateTime local, int minHistory) {
        int base = metric * STRIDE;
        SlotStats slot = slots.get(base + hourOfWeek(local));
        if (slot != null && slot.n >= minHistory) {
            return Optional.of(new Expectation(slot.mean, slot.var, slot.n, false));
        }
        SlotStats hour = slots.get(base + HOUR_OF_DAY + local.getHour());
        SlotStats dayType = slots.get(base + DAY_TYPE + dayType(local));
        if (hour == null || hour.n < minHistory || dayType == null || dayType.n < minHistory) {
            return Optional.empty();
        }
        double f = factor(slots, base, local);
        return Optional.of(new Expectation(hour.mean * f, hour.var * f * f, hour.n, true));
    }

    /**
     * How this hour of day compares with the average hour (the pooled hour-of-day mean over the
     * overall mean); 1 while either is unknown.
     */
    public static double hourShape(Slots slots, int metric, ZonedDateTime local) {
        int base = metric * STRIDE;
        SlotStats hour = slots.get(base + HOUR_OF_DAY + local.getHour());
        SlotStats overall = slots.get(base + OVERALL);
        if (hour == null || overall == null || overall.mean <= 0) return 1;
        return hour.mean / overall.mean;
    }

    public static void update(
            Slots slots, int metric, ZonedDateTime local, double x, double alpha) {
        int base = metric * STRIDE;
        add(slots, base + hourOfWeek(local), x, alpha);
        add(slots, base + HOUR_OF_DAY + local.getHour(), x, alpha);
        // Levels are fed every bucket: a day's worth of buckets counts as one slot observation, so
        // they remember as many weeks as the slots do, not the last few hours.
        add(slots, base + DAY_TYPE + dayType(local), x, alpha / 24);
        add(slots, base + OVERALL, x, alpha / 24);
    }

    /** The day type's level over the overall level; 1 until both have a mean. */
    private static double factor(Slots slots, int base, ZonedDateTime local) {
        SlotStats dayType = slots.get(base + DAY_TYPE + dayType(local));
        SlotStats overall = slots.get(base + OVERALL);
        if (dayType == null || overall == null || overall.mean <= 0 || dayType.mean <= 0) {
            return 1;
        }
        return dayType.mean / overall.mean;
    }

    private static void add(Slots slots, int key, double x, double alpha) {
        SlotStats s = slots.get(key);
        if (s == null) s = new SlotStats();
        s.add(x, alpha);
        slots.put(key, s);
    }
}
