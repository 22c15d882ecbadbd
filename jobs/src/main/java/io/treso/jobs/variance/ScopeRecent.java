package io.treso.jobs.variance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A scope's recent past in one value: its names, the next bucket end to judge, the trailing week's
 * sums, the local day and week so far, the detectors' episodes, and the kept buckets. The judgement
 * reads all of them at every bucket end; as one state value they cost one read and one write, where
 * they cost some fifteen when each had a state of its own. The slot tables stay apart: 168
 * hour-of-week tables would make this value large, and a judgement reads only a few of them.
 *
 * <p>A store's buckets older than {@link #detailFrom} keep only the three figures the trailing week
 * drops when they leave it (sales, refunds, refund count): no window or evidence reaches back that
 * far, and without their evidence and expectations the value stays a few kilobytes.
 */
public final class ScopeRecent {
    /** The scope's names, shared by its buckets (which are kept without them). */
    public final Bucket identity;

    /** The next bucket end to judge. */
    public long nextEnd;

    public TrailingWeek trailing = new TrailingWeek();
    public WindowSums localDay;
    public WindowSums localWeek;
    public final Map<VarianceType, EpisodeState> episodes = new EnumMap<>(VarianceType.class);

    /**
     * Kept buckets in order of start, without the scope's names: each judgement appends one and
     * drops the oldest, so a list is cheaper to rebuild from state than a tree.
     */
    public final List<Bucket> buckets = new ArrayList<>();

    /** Buckets starting before this keep their figures only. */
    public long detailFrom = Long.MIN_VALUE;

    public ScopeRecent(Bucket identity, long nextEnd) {
        this.identity = Bucket.empty(identity, 0, 0);
        this.nextEnd = nextEnd;
    }

    /** The bucket starting at {@code start}, with the scope's names; null if none is kept. */
    public Bucket bucket(long start) {
        int at = indexOf(start);
        return at < 0 ? null : buckets.get(at).withIdentityOf(identity);
    }

    public void putBucket(Bucket b) {
        Bucket kept = b.withoutIdentity();
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1).start < b.start) {
            buckets.add(kept);
            return;
        }
        int at = indexOf(b.start);
        if (at >= 0) {
            buckets.set(at, kept);
        } else {
            buckets.add(-at - 1, kept);
        }
    }

    public void removeBucket(long start) {
        int at = indexOf(start);
        if (at >= 0) buckets.remove(at);
    }

    private int indexOf(long start) {
        int lo = 0, hi = buckets.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = buckets.get(mid).start;
            if (s < start) {
                lo = mid + 1;
            } else if (s > start) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** The local day's or week's running sums; null before the first. */
    public WindowSums period(Scale scale) {
        if (scale.equals(Scale.DAY)) return localDay;
        if (scale.equals(Scale.WEEK)) return localWeek;
        throw new IllegalArgumentException("no running sums for " + scale.iso());
    }

    public void putPeriod(Scale scale, WindowSums sums) {
        if (scale.equals(Scale.DAY)) {
            localDay = sums;
        } else if (scale.equals(Scale.WEEK)) {
            localWeek = sums;
        } else {
            throw new IllegalArgumentException("no running sums for " + scale.iso());
        }
    }

    /** Buckets starting before {@code from} drop all but the figures the trailing week needs. */
    void forgetDetailBefore(long from) {
        if (from <= detailFrom) return;
        int first = indexOf(detailFrom); // those before it have their figures only already
        for (int i = first < 0 ? -first - 1 : first;
                i < buckets.size() && buckets.get(i).start < from;
                i++) {
            buckets.set(i, figuresOf(buckets.get(i)));
        }
        detailFrom = from;
    }

    /** What a bucket past {@link #detailFrom} keeps. */
    static Bucket figuresOf(Bucket b) {
        Bucket f = new Bucket();
        f.start = b.start;
        f.end = b.end;
        f.primary = b.primary;
        f.secondary = b.secondary;
        f.secondaryCount = b.secondaryCount;
        return f;
    }
}
