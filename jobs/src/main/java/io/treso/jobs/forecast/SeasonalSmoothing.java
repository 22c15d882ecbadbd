package io.treso.jobs.forecast;

import java.util.Arrays;
import org.apache.flink.util.Preconditions;

/**
 * Holt-Winters additive smoothing of a daily money series with a weekly season (a store's daily
 * sales, an account's daily net flow): level, trend and seven weekday offsets, updated once per
 * day, so it costs O(1) per day and ten numbers of state, whatever the history. Money stays in
 * minor units: coefficients are basis points and every step rounds half up, so replay gives the
 * same figures to the unit on any machine.
 *
 * <p>The first week only fills the offsets (level = its mean, no trend); forecasts start after it.
 * Each day also scores the forecast it had made for that day: the mean absolute one-day error,
 * smoothed, is what {@link ForecastBand} widens over the horizon.
 */
public final class SeasonalSmoothing {
    public static final int SEASON = 7;

    /** Coefficients are in basis points: 10,000 is 1. */
    public static final int ONE = 10_000;

    /** How fast the error score forgets: about the last 20 days. */
    static final int ERROR_WEIGHT = 500;

    private final int alpha;
    private final int beta;
    private final int gamma;

    /** What one series keeps, as Flink state (a POJO). */
    public static final class State {
        /** Days observed. */
        public int days;

        public long level;
        public long trend;

        /** The weekday offsets, by day index modulo {@link #SEASON}. */
        public long[] season = new long[SEASON];

        /** The mean absolute one-day error, smoothed; 0 until the second week. */
        public long errorMinor;

        public State() {}
    }

    /**
     * @param alpha level smoothing, basis points
     * @param beta trend smoothing
     * @param gamma season smoothing
     */
    public SeasonalSmoothing(int alpha, int beta, int gamma) {
        for (int c : new int[] {alpha, beta, gamma}) {
            Preconditions.checkArgument(
                    c >= 0 && c <= ONE, "a coefficient is 0 to %s basis points: %s", ONE, c);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
    }

    /** Adds day {@code s.days}'s value {@code y} to the series. */
    public void observe(State s, long y) {
        int slot = s.days % SEASON;
        if (s.days < SEASON) {
            s.season[slot] = y;
            s.days++;
            if (s.days == SEASON) {
                long sum = 0;
                for (long v : s.season) sum = Math.addExact(sum, v);
                s.level = divide(sum, SEASON);
                for (int i = 0; i < SEASON; i++) s.season[i] -= s.level;
                s.trend = 0;
            }
            return;
        }
        long expected = s.level + s.trend + s.season[slot];
        long miss = Math.abs(y - expected);
        s.errorMinor = s.days == SEASON ? miss : blend(ERROR_WEIGHT, miss, s.errorMinor);
        long level = blend(alpha, y - s.season[slot], s.level + s.trend);
        s.trend = blend(beta, level - s.level, s.trend);
        s.season[slot] = blend(gamma, y - level, s.season[slot]);
        s.level = level;
        s.days++;
    }

    /** Whether a forecast can be made: a week has been seen. */
    public static boolean ready(State s) {
        return s.days >= SEASON;
    }

    /** The value expected {@code h} days after the last day observed (h ≥ 1). */
    public static long forecast(State s, int h) {
        Preconditions.checkArgument(h >= 1, "the horizon is 1 day or more: %s", h);
        Preconditions.checkState(ready(s), "a week is needed before forecasting");
        int slot = (s.days - 1 + h) % SEASON;
        return s.level + Math.multiplyExact((long) h, s.trend) + s.season[slot];
    }

    /** {@code a·x + (1 − a)·y} for {@code a} in basis points, rounded half up. */
    static long blend(int a, long x, long y) {
        return divide(
                Math.addExact(
                        Math.multiplyExact((long) a, x), Math.multiplyExact((long) (ONE - a), y)),
                ONE);
    }

    /** {@code n / d} rounded half up (towards +∞ on a tie), for d > 0. */
    static long divide(long n, long d) {
        return Math.floorDiv(Math.addExact(Math.multiplyExact(n, 2), d), Math.multiplyExact(d, 2));
    }

    @Override
    public String toString() {
        return "SeasonalSmoothing" + Arrays.toString(new int[] {alpha, beta, gamma});
    }
}
