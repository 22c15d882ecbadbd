package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link SlotTable} in state: the pooled and hour-of-week baselines, read on every bucket end. */
public final class SlotTableSerializer extends CompactSerializer<SlotTable> {
    private static final long serialVersionUID = 1L;
    public static final SlotTableSerializer INSTANCE = new SlotTableSerializer();

    @Override
    public SlotTable createInstance() {
        return new SlotTable();
    }

    @Override
    protected void write(SlotTable t, DataOutputView out) throws IOException {
        writeLongs(t.n, out);
        writeDoubles(t.mean, out);
        writeDoubles(t.var, out);
    }

    @Override
    protected SlotTable read(DataInputView in) throws IOException {
        SlotTable t = new SlotTable();
        t.n = readLongs(in);
        t.mean = readDoubles(in);
        t.var = readDoubles(in);
        return t;
    }
}
