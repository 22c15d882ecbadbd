package io.treso.connectors.source;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that ignore a timestamp more than {@code maxSkew} ahead of
 * the highest one seen: such a record is dead-lettered as IMPLAUSIBLE_TIMESTAMP downstream, and
 * must not drag the watermark of its partition into the future first. No idleness: outputs never
 * depend on wall-clock time; producers write heartbeats instead.
 */
public final class SkewGuardedWatermarks implements WatermarkGenerator<SourceRecord> {
    private final long outOfOrderness;
    private final long maxSkew;
    private long highest = Long.MIN_VALUE;

    public SkewGuardedWatermarks(Duration outOfOrderness, Duration maxSkew) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.maxSkew = maxSkew.toMillis();
    }

    public static WatermarkStrategy<SourceRecord> strategy(
            Duration outOfOrderness, Duration maxSkew) {
        return WatermarkStrategy.<SourceRecord>forGenerator(
                        ctx -> new SkewGuardedWatermarks(outOfOrderness, maxSkew))
                .withTimestampAssigner(
                        (r, previous) -> r.timestamp == Long.MIN_VALUE ? previous : r.timestamp);
    }

    @Override
    public void onEvent(SourceRecord event, long timestamp, WatermarkOutput output) {
        if (timestamp == Long.MIN_VALUE) {
            return;
        }
        if (highest == Long.MIN_VALUE || timestamp <= highest + maxSkew) {
            highest = Math.max(highest, timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (highest != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(highest - outOfOrderness - 1));
        }
    }
}
