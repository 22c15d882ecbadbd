package io.treso.jobs.metrics;

import org.apache.flink.metrics.Gauge;

/** A gauge of a ratio (a MASE, a share of days), never of money: money is {@link LongGauge}. */
public final class DoubleGauge implements Gauge<Double> {
    private volatile double value;

    public void set(double value) {
        this.value = value;
    }

    @Override
    public Double getValue() {
        return value;
    }
}
