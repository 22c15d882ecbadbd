package io.treso.jobs.variance;

import java.util.HashMap;
import java.util.Map;

/** {@link ScopeVariance.Store} in a map: for tests and benchmarks of the plain logic. */
public final class InMemoryScopeStore implements ScopeVariance.Store {
    final Map<Integer, SlotStats> slots = new HashMap<>();

    /** One scope's; the judgement takes names from the bucket it judges, not from here. */
    private ScopeRecent recent;

    @Override
    public SlotStats get(int key) {
        return slots.get(key);
    }

    @Override
    public void put(int key, SlotStats stats) {
        slots.put(key, stats);
    }

    @Override
    public ScopeRecent recent() {
        if (recent == null) recent = new ScopeRecent(new Bucket(), 0);
        return recent;
    }
}
