package io.treso.jobs.metrics;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.jobs.config.TresoOptions;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Puts the job's outputs on the Grafana boards: cash positions as gauges, alerts as firing counts,
 * dead letters by input and reason. Side branches that end in metrics, so the outputs are the same
 * with or without them. Only the live runtime (demo, {@code run}, clusters) has a metrics endpoint;
 * replay has none and skips them.
 */
public final class Boards {
    private Boards() {}

    public static void observe(
            DataStream<CashPosition> positions,
            DataStream<CashAlert> alerts,
            DataStream<DeadLetter> deadLetters,
            TresoOptions options) {
        int cap = options.get(TresoOptions.METRICS_MAX_SERIES);
        positions
                .keyBy(CashPosition::getScope)
                .sinkTo(new MetricsSink<>(Boards::positions, cap))
                .uid("metrics-positions")
                .name("positions on the boards");
        alerts.keyBy(CashAlert::getAlertId)
                .process(new AlertMetricsFunction(cap))
                .uid("metrics-alerts")
                .name("alerts on the boards");
        deadLetters
                .sinkTo(new MetricsSink<>(Boards::deadLetters, cap))
                .uid("metrics-dead-letters")
                .name("dead letters on the boards");
    }

    private static java.util.function.Consumer<CashPosition> positions(
            org.apache.flink.metrics.MetricGroup treso, int cap) {
        var cash = treso.addGroup("cash");
        Map<PositionReadings.Metric, LabelledMetric<LongGauge>> gauges =
                new EnumMap<>(PositionReadings.Metric.class);
        for (PositionReadings.Metric m : PositionReadings.Metric.values()) {
            gauges.put(m, LabelledMetric.gauges(cash, m.metricName, cap, m.keys));
        }
        return p -> {
            for (PositionReadings.Reading r : PositionReadings.of(p)) {
                gauges.get(r.metric()).of(r.labels().toArray(String[]::new)).set(r.value());
            }
        };
    }

    private static java.util.function.Consumer<DeadLetter> deadLetters(
            org.apache.flink.metrics.MetricGroup treso, int cap) {
        LabelledMetric<Counter> counters =
                LabelledMetric.counters(treso, "dead_letters", cap, "input", "reason");
        return d ->
                counters.of(
                                d.getRecordType() == null ? "unknown" : d.getRecordType(),
                                d.getReason())
                        .inc();
    }
}
