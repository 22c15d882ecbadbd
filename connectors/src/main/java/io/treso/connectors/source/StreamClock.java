package io.treso.connectors.source;

import java.util.Arrays;

/**
 * One stream's event-time progress, which no single record sets alone. The first {@link #QUORUM}
 * times are gathered before the clock starts, at their median (and the highest of them within
 * {@code maxSkew} of it): a lone future-dated first record, a 2027 typo, would otherwise drag the
 * clock a year ahead and make every valid record after it late. Once started, a time more than
 * {@code maxSkew} ahead is implausible and does not move it. Used by the watermarks and by the
 * input gate alike, so both agree on what time it is. Not thread-safe.
 */
public final class StreamClock {
    /** Records (heartbeats included) gathered before a stream's clock starts. */
    public static final int QUORUM = 3;

    private final long maxSkew;
    private long highest = Long.MIN_VALUE;
    private long[] firsts = new long[0];

    public StreamClock(long maxSkewMillis) {
        this.maxSkew = maxSkewMillis;
    }

    /** A clock already started at {@code highest} (restored from a checkpoint). */
    public static StreamClock startedAt(long highest, long maxSkewMillis) {
        StreamClock c = new StreamClock(maxSkewMillis);
        c.highest = highest;
        c.firsts = null;
        return c;
    }

    public boolean started() {
        return firsts == null;
    }

    /** The highest plausible time read; only meaningful once {@link #started()}. */
    public long highest() {
        return highest;
    }

    /** Whether {@code t} is plausible: before the clock starts, it cannot be told yet. */
    public boolean plausible(long t) {
        return !started() || t <= highest + maxSkew;
    }

    /** Moves the clock by an admitted time (or gathers it, until the quorum starts the clock). */
    public void advance(long t) {
        if (started()) {
            highest = Math.max(highest, t);
            return;
        }
        firsts = Arrays.copyOf(firsts, firsts.length + 1);
        firsts[firsts.length - 1] = t;
        if (firsts.length < QUORUM) return;
        long[] sorted = firsts.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        highest = median;
        for (long f : sorted) if (f <= median + maxSkew) highest = Math.max(highest, f);
        firsts = null;
    }
}
