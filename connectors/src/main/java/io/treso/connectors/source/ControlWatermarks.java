package io.treso.connectors.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The control source's watermark is {@code Long.MAX_VALUE}: rules apply by their own {@code
 * effective_at}, so a quiet control topic must never hold back the data streams.
 */
public final class ControlWatermarks implements WatermarkGenerator<SourceRecord> {
    public static WatermarkStrategy<SourceRecord> strategy() {
        return WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new ControlWatermarks())
                .withTimestampAssigner(
                        (r, previous) -> r.timestamp == Long.MIN_VALUE ? previous : r.timestamp);
    }

    @Override
    public void onEvent(SourceRecord event, long timestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
