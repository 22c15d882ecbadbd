package io.treso.jobs.variance;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@link ScopeVariance.Store} in maps: for tests and benchmarks of the plain logic. */
public final class InMemoryScopeStore implements ScopeVariance.Store {
    final Map<Integer, SlotStats> slots = new HashMap<>();
    final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    final Map<VarianceType, EpisodeState> episodes = new HashMap<>();
    TrailingWeek week;
    final Map<Scale, WindowSums> periods = new HashMap<>();

    @Override
    public SlotStats get(int key) {
        return slots.get(key);
    }

    @Override
    public void put(int key, SlotStats stats) {
        slots.put(key, stats);
    }

    @Override
    public Bucket bucket(long start) {
        return buckets.get(start);
    }

    @Override
    public void putBucket(Bucket b) {
        buckets.put(b.start, b);
    }

    @Override
    public void removeBucket(long start) {
        buckets.remove(start);
    }

    @Override
    public EpisodeState episode(VarianceType type) {
        return episodes.get(type);
    }

    @Override
    public void putEpisode(VarianceType type, EpisodeState state) {
        episodes.put(type, state);
    }

    @Override
    public TrailingWeek week() {
        return week;
    }

    @Override
    public void putWeek(TrailingWeek w) {
        week = w;
    }

    @Override
    public WindowSums period(Scale scale) {
        return periods.get(scale);
    }

    @Override
    public void putPeriod(Scale scale, WindowSums sums) {
        periods.put(scale, sums);
    }
}
