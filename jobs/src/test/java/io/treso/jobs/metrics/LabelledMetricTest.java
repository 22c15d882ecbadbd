package io.treso.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class LabelledMetricTest {
    /** Records each registration as "key=value,...:name", as the reporter would label it. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final List<String> registered;
        final String labels;

        RecordingGroup(List<String> registered, String labels) {
            this.registered = registered;
            this.labels = labels;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(registered, labels + key + "=" + value + ",");
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            registered.add(labels + ":" + name);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            registered.add(labels + ":" + name);
            return gauge;
        }
    }

    @Test
    void eachLabelSetIsRegisteredOnceAndTheSameMetricComesBack() {
        List<String> registered = new ArrayList<>();
        var counters =
                LabelledMetric.counters(
                        new RecordingGroup(registered, ""), "events_in", 10, "input");
        counters.of("order").inc();
        counters.of("order").inc();
        counters.of("bank").inc();
        assertEquals(List.of("input=order,:events_in", "input=bank,:events_in"), registered);
        assertEquals(2, counters.of("order").getCount());
        assertSame(counters.of("bank"), counters.of("bank"));
    }

    @Test
    void ratiosAndMoneyGaugesRegisterSideBySide() {
        List<String> registered = new ArrayList<>();
        RecordingGroup group = new RecordingGroup(registered, "");
        LabelledMetric.gauges(group, "mae_minor", 10, "horizon").of("7").set(12_345);
        LabelledMetric.ratios(group, "mase", 10, "horizon").of("7").set(0.42);
        assertEquals(List.of("horizon=7,:mae_minor", "horizon=7,:mase"), registered);
    }

    @Test
    void beyondTheCapALabelSetCountsButIsNotRegistered() {
        List<String> registered = new ArrayList<>();
        var gauges =
                LabelledMetric.gauges(
                        new RecordingGroup(registered, ""),
                        "balance_minor",
                        2,
                        "account",
                        "currency");
        gauges.of("A", "EUR").set(1);
        gauges.of("B", "EUR").set(2);
        LongGauge third = gauges.of("C", "EUR");
        third.set(3);
        assertEquals(3L, third.getValue());
        assertEquals(2, registered.size());
        assertEquals(2, gauges.values().size());
        assertEquals(
                List.of(
                        "account=A,currency=EUR,:balance_minor",
                        "account=B,currency=EUR,:balance_minor"),
                registered);
    }

    @Test
    void theWrongNumberOfLabelValuesIsRefused() {
        var counters = LabelledMetric.counters(new UnregisteredMetricsGroup(), "x", 5, "a", "b");
        assertThrows(IllegalArgumentException.class, () -> counters.of("only-one"));
    }
}
