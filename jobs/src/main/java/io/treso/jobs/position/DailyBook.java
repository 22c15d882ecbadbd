package io.treso.jobs.position;

/**
 * What one scope's daily closes keep: the latest position of each day not yet closed, and what the
 * recent closed days closed on (so a late position revises its day, and the days that carried it,
 * the same whatever the arrival order). Bounded by {@link DailyCloses#WINDOW_DAYS}.
 */
public final class DailyBook {
    public String scope;
    public String currency;

    /** Latest position of each open day, oldest day first. */
    public Day[] open = new Day[0];

    /** The recent closed days, oldest first, each as last emitted. */
    public Day[] closed = new Day[0];

    /** The latest own close before {@link #closed}'s window: what its first days carry. */
    public Day base;

    /** The latest day closed (UTC epoch day), {@link Long#MIN_VALUE} before the first. */
    public long lastClosedDay = Long.MIN_VALUE;

    public DailyBook() {}

    /** One day's position: its own latest, or (carried) the close of a day before it. */
    public static final class Day {
        public long day;
        public long balanceMinor;
        public Long bankReportedMinor;
        public long inTransitMinor;
        public boolean inTransitEstimated;
        public long asOf;
        public boolean carried;

        public Day() {}

        Day as(long day, boolean carried) {
            Day d = new Day();
            d.day = day;
            d.balanceMinor = balanceMinor;
            d.bankReportedMinor = bankReportedMinor;
            d.inTransitMinor = inTransitMinor;
            d.inTransitEstimated = inTransitEstimated;
            d.asOf = asOf;
            d.carried = carried;
            return d;
        }

        boolean sameAs(Day o) {
            return o != null
                    && o.balanceMinor == balanceMinor
                    && java.util.Objects.equals(o.bankReportedMinor, bankReportedMinor)
                    && o.inTransitMinor == inTransitMinor
                    && o.inTransitEstimated == inTransitEstimated
                    && o.asOf == asOf;
        }
    }
}
