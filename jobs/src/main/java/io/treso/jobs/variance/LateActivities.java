package io.treso.jobs.variance;

import io.treso.event.CashAlert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts order and payout events that reached their bucket after it was summed (behind the
 * watermark). They still count in positions and reconciliation; only the variance baselines miss
 * them, so the operator is told, not the treasurer. Emits nothing.
 */
public final class LateActivities extends ProcessFunction<Activity, CashAlert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LateActivities.class);

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("treso")
                        .addGroup("variance")
                        .counter("late_events");
    }

    @Override
    public void processElement(Activity a, Context ctx, Collector<CashAlert> out) {
        if (late.getCount() == 0) {
            LOG.warn(
                    "An event ({}) arrived after its variance bucket was judged: it counts in"
                            + " positions and reconciliation, not in the baselines. If"
                            + " treso_variance_late_events keeps rising, raise"
                            + " treso.watermark.out-of-orderness.",
                    a.eventId);
        }
        late.inc();
    }
}
