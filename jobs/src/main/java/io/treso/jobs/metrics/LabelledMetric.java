package io.treso.jobs.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metric with labels, registered on the first sight of each label set. Flink's reporter turns
 * every key group into a Prometheus label, so an unbounded label (an order id) would grow the
 * scrape without end: at most {@code cap} label sets are registered per subtask. Beyond it the
 * metric still counts, it is only left out of the scrape, and the operator is told once.
 */
public final class LabelledMetric<M extends Metric> {
    private static final Logger LOG = LoggerFactory.getLogger(LabelledMetric.class);

    private final MetricGroup group;
    private final String name;
    private final String[] keys;
    private final int cap;
    private final Supplier<M> factory;
    private final Map<List<String>, M> metrics = new HashMap<>();
    private boolean warned;

    private LabelledMetric(
            MetricGroup group, String name, int cap, Supplier<M> factory, String... keys) {
        Preconditions.checkArgument(cap > 0, "cap must be positive, got %s", cap);
        Preconditions.checkArgument(keys.length > 0, "a labelled metric needs labels");
        this.group = Preconditions.checkNotNull(group);
        this.name = Preconditions.checkNotNull(name);
        this.keys = keys;
        this.cap = cap;
        this.factory = factory;
    }

    /** Counters: {@code treso_<groups>_<keys>_<name>} labelled by the keys. */
    public static LabelledMetric<Counter> counters(
            MetricGroup group, String name, int cap, String... keys) {
        return new LabelledMetric<>(group, name, cap, SimpleCounter::new, keys);
    }

    /** Gauges of a long (minor units, counts, epoch seconds). */
    public static LabelledMetric<LongGauge> gauges(
            MetricGroup group, String name, int cap, String... keys) {
        return new LabelledMetric<>(group, name, cap, LongGauge::new, keys);
    }

    /** Gauges of a ratio. */
    public static LabelledMetric<DoubleGauge> ratios(
            MetricGroup group, String name, int cap, String... keys) {
        return new LabelledMetric<>(group, name, cap, DoubleGauge::new, keys);
    }

    /** The metric of these label values; an unregistered one once the cap is reached. */
    public M of(String... values) {
        Preconditions.checkArgument(
                values.length == keys.length,
                "%s takes labels %s, got %s values",
                name,
                Arrays.toString(keys),
                values.length);
        List<String> labels = List.of(values);
        M metric = metrics.get(labels);
        if (metric != null) return metric;
        metric = factory.get();
        if (metrics.size() >= cap) {
            if (!warned) {
                warned = true;
                LOG.warn(
                        "Metric {} has {} label sets on this subtask, its cap; {} and later ones"
                                + " are left out of the metrics (never out of the outputs). Raise"
                                + " treso.metrics.max-series if the boards need them.",
                        name,
                        cap,
                        labels);
            }
            return metric;
        }
        MetricGroup g = group;
        for (int i = 0; i < keys.length; i++) g = g.addGroup(keys[i], values[i]);
        if (metric instanceof Counter c) g.counter(name, c);
        else g.gauge(name, (org.apache.flink.metrics.Gauge<?>) metric);
        metrics.put(labels, metric);
        return metric;
    }

    /** The registered metrics by label values (those beyond the cap are not kept). */
    public Map<List<String>, M> values() {
        return java.util.Collections.unmodifiableMap(metrics);
    }
}
