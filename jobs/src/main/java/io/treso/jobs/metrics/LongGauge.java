package io.treso.jobs.metrics;

import org.apache.flink.metrics.Gauge;

/** A gauge that holds the last value set: a balance in minor units, a count, a time. */
public final class LongGauge implements Gauge<Long> {
    private volatile long value;

    public void set(long value) {
        this.value = value;
    }

    public void add(long delta) {
        value += delta;
    }

    @Override
    public Long getValue() {
        return value;
    }
}
