package io.treso.jobs.variance;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * A window a detector judges at every bucket end: the trailing hours ({@code PT1H} to {@code
 * PT23H}), or the store's own local day or week so far ({@code P1D}, {@code P7D}, from local
 * midnight and from Monday). Calendar windows are what a shop owner reads ("sales today"), and they
 * grow through the day, so a thin shop is judged once enough of its day has passed.
 */
public record Scale(String iso, long millis) implements Serializable {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    public static final Scale DAY = new Scale("P1D", Duration.ofDays(1).toMillis());
    public static final Scale WEEK = new Scale("P7D", Duration.ofDays(7).toMillis());

    /**
     * {@code PT1H}..{@code PT23H}, {@code P1D} or {@code P7D}; anything else throws, naming why.
     */
    public static Scale parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.equals(DAY.iso)) return DAY;
        if (t.equals(WEEK.iso)) return WEEK;
        Duration d;
        try {
            d = Duration.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("scale \"" + text + "\" is not an ISO duration");
        }
        if (d.toMillis() % HOUR != 0 || d.toHours() < 1 || d.toHours() > 23) {
            throw new IllegalArgumentException(
                    "scale \"" + text + "\" must be whole hours up to PT23H, P1D or P7D");
        }
        return new Scale("PT" + d.toHours() + "H", d.toMillis());
    }

    /** The store's local day or week, not a trailing span. */
    public boolean calendar() {
        return millis >= DAY.millis;
    }

    /** Trailing scales: how many buckets the window holds. */
    int buckets(long bucketMillis) {
        return (int) Math.max(1, (millis + bucketMillis - 1) / bucketMillis);
    }

    /** Calendar scales: where the local day or week holding {@code t} began. */
    long periodStart(long t, ZoneId zone) {
        ZonedDateTime day = Instant.ofEpochMilli(t).atZone(zone).toLocalDate().atStartOfDay(zone);
        if (this.equals(WEEK)) {
            day =
                    day.toLocalDate()
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                            .atStartOfDay(zone);
        }
        return day.toInstant().toEpochMilli();
    }

    /** How a message names it: "1 h", "4 h", "day", "week". */
    public String label() {
        if (this.equals(DAY)) return "day";
        if (this.equals(WEEK)) return "week";
        return millis / HOUR + " h";
    }

    @Override
    public String toString() {
        return iso;
    }
}
