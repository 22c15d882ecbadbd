package io.treso.jobs.metrics;

import io.treso.event.CashAlert;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Alerts on the boards: firing now, fired and resolved, by type and severity. Keyed by alert id, so
 * that a re-sent state is counted once. The firing counts are this subtask's share, kept in
 * operator state: after a rescale a share may go negative on one subtask, and the sum over
 * subtasks, which the boards draw, stays exact.
 */
public final class AlertMetricsFunction extends KeyedProcessFunction<String, CashAlert, Void>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final int cap;
    private transient ValueState<Boolean> seen;
    private transient ListState<Tuple3<String, String, Long>> firingState;
    private transient Map<List<String>, Long> restored;
    private transient LabelledMetric<LongGauge> firing;
    private transient LabelledMetric<Counter> fired;
    private transient LabelledMetric<Counter> resolved;

    public AlertMetricsFunction(int cap) {
        this.cap = cap;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        firingState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "firing-by-type",
                                        org.apache.flink.api.common.typeinfo.Types.TUPLE(
                                                org.apache.flink.api.common.typeinfo.Types.STRING,
                                                org.apache.flink.api.common.typeinfo.Types.STRING,
                                                org.apache.flink.api.common.typeinfo.Types.LONG)));
        restored = new HashMap<>();
        for (Tuple3<String, String, Long> t : firingState.get()) {
            restored.merge(List.of(t.f0, t.f1), t.f2, Long::sum);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Boolean.class));
        MetricGroup alerts =
                getRuntimeContext().getMetricGroup().addGroup("treso").addGroup("alerts");
        firing = LabelledMetric.gauges(alerts, "firing", cap, "type", "severity");
        fired = LabelledMetric.counters(alerts, "fired", cap, "type", "severity");
        resolved = LabelledMetric.counters(alerts, "resolved", cap, "type", "severity");
        restored.forEach((labels, n) -> firing.of(labels.get(0), labels.get(1)).set(n));
    }

    @Override
    public void processElement(CashAlert alert, Context ctx, Collector<Void> out) throws Exception {
        boolean wasFiring = Boolean.TRUE.equals(seen.value());
        String type = alert.getType();
        String severity = alert.getSeverity().name();
        switch (FiringAlerts.edge(wasFiring, alert)) {
            case FIRED -> {
                fired.of(type, severity).inc();
                if (FiringAlerts.staysFiring(alert)) firing.of(type, severity).add(1);
                seen.update(true);
            }
            case RESOLVED -> {
                resolved.of(type, severity).inc();
                if (FiringAlerts.staysFiring(alert)) firing.of(type, severity).add(-1);
                seen.clear();
            }
            case NONE -> {}
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        firingState.clear();
        for (var e : firing.values().entrySet()) {
            long n = e.getValue().getValue();
            if (n != 0) firingState.add(Tuple3.of(e.getKey().get(0), e.getKey().get(1), n));
        }
    }
}
