package io.treso.jobs.forecast;

import org.apache.flink.util.Preconditions;

/**
 * A delay learned from what happened (days from capture to payout for a PSP and store; days from
 * due date to payment for a customer or a supplier), smoothed so that it follows a change of
 * schedule within a few observations and is never thrown off by one odd value alone. Until it has
 * seen {@link #MIN_OBSERVATIONS}, it answers the fallback (the configured schedule, or the
 * portfolio's delay for a new customer). Tenths of a day, in a POJO for Flink state.
 */
public final class LearnedLag {
    public static final int MIN_OBSERVATIONS = 3;

    /** The weight of a new observation: a quarter. */
    static final int WEIGHT_PERCENT = 25;

    /** Observations seen. */
    public int seen;

    /** The smoothed delay, tenths of a day. */
    public long tenths;

    public LearnedLag() {}

    /** Adds one observed delay in days (negative: early). */
    public void observe(long days) {
        long t = Math.multiplyExact(days, 10L);
        tenths =
                seen == 0
                        ? t
                        : SeasonalSmoothing.divide(
                                Math.addExact(
                                        Math.multiplyExact(t, (long) WEIGHT_PERCENT),
                                        Math.multiplyExact(tenths, 100L - WEIGHT_PERCENT)),
                                100);
        seen++;
    }

    /** The delay to expect, whole days rounded half up: learned, or {@code fallbackDays}. */
    public long days(long fallbackDays) {
        Preconditions.checkArgument(fallbackDays >= 0, "a delay is not negative: %s", fallbackDays);
        return seen < MIN_OBSERVATIONS ? fallbackDays : SeasonalSmoothing.divide(tenths, 10);
    }
}
