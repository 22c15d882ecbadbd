package io.treso.connectors.source;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks on a {@link StreamClock}: a timestamp more than {@code
 * maxSkew} ahead of the highest one seen is ignored (it is dead-lettered as IMPLAUSIBLE_TIMESTAMP
 * downstream, and must not drag the watermark of its partition into the future first), and no
 * watermark leaves before a quorum of records has started the clock. No idleness: outputs never
 * depend on wall-clock time; producers write heartbeats instead.
 */
public final class SkewGuardedWatermarks implements WatermarkGenerator<SourceRecord> {
    private final long outOfOrderness;
    private final StreamClock clock;

    public SkewGuardedWatermarks(Duration outOfOrderness, Duration maxSkew) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.clock = new StreamClock(maxSkew.toMillis());
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
        if (clock.plausible(timestamp)) clock.advance(timestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (clock.started()) {
            output.emitWatermark(new Watermark(clock.highest() - outOfOrderness - 1));
        }
    }
}
