package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link TrailingWeek} in state: read and written on every store bucket end. */
public final class TrailingWeekSerializer extends CompactSerializer<TrailingWeek> {
    private static final long serialVersionUID = 1L;
    public static final TrailingWeekSerializer INSTANCE = new TrailingWeekSerializer();

    @Override
    public TrailingWeek createInstance() {
        return new TrailingWeek();
    }

    @Override
    protected void write(TrailingWeek w, DataOutputView out) throws IOException {
        out.writeLong(w.buckets);
        out.writeLong(w.refundCount);
        out.writeLong(w.refunds);
        out.writeLong(w.sales);
    }

    @Override
    protected TrailingWeek read(DataInputView in) throws IOException {
        TrailingWeek w = new TrailingWeek();
        w.buckets = in.readLong();
        w.refundCount = in.readLong();
        w.refunds = in.readLong();
        w.sales = in.readLong();
        return w;
    }
}
