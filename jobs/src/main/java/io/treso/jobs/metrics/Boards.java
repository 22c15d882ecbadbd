package io.treso.jobs.metrics;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
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

    /** The forecast's base path at 7, 14, 28 and 91 days, per scope. */
    public static void observeForecast(DataStream<ForecastPoint> points, TresoOptions options) {
        points.sinkTo(
                        new MetricsSink<>(
                                Boards::forecast, options.get(TresoOptions.METRICS_MAX_SERIES)))
                .uid("metrics-forecast")
                .name("forecast on the boards");
    }

    private static java.util.function.Consumer<ForecastPoint> forecast(
            org.apache.flink.metrics.MetricGroup treso, int cap) {
        var group = treso.addGroup("forecast");
        String[] keys = ForecastReadings.KEYS.toArray(String[]::new);
        LabelledMetric<LongGauge> projected =
                LabelledMetric.gauges(group, "projected_balance_minor", cap, keys);
        LabelledMetric<LongGauge> band =
                LabelledMetric.gauges(group, "band_width_minor", cap, keys);
        String[] scored = {"scope", "currency", "horizon"};
        LabelledMetric<LongGauge> mae = LabelledMetric.gauges(group, "mae_minor", cap, scored);
        LabelledMetric<DoubleGauge> mase = LabelledMetric.ratios(group, "mase", cap, scored);
        LabelledMetric<DoubleGauge> held =
                LabelledMetric.ratios(group, "band_held_ratio", cap, scored);
        // Scores live in this subtask's memory: after a restart they build up again.
        io.treso.jobs.forecast.LiveAccuracy live = new io.treso.jobs.forecast.LiveAccuracy();
        return p -> {
            ForecastReadings.of(p)
                    .ifPresent(
                            r -> {
                                projected
                                        .of(r.scope(), r.currency(), r.offset())
                                        .set(r.projected());
                                band.of(r.scope(), r.currency(), r.offset()).set(r.band());
                            });
            for (var x : live.accept(p)) {
                if (x.n() < io.treso.jobs.forecast.LiveAccuracy.MIN_SCORES) continue;
                String[] labels = {
                    ForecastReadings.scope(x.scope()), x.currency(), String.valueOf(x.horizon())
                };
                mae.of(labels).set(x.maeMinor());
                if (x.mase() != null) mase.of(labels).set(x.mase());
                held.of(labels).set(x.bandHeld());
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
