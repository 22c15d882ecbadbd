package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link WindowSums} in state: a store's local day and week so far, one write per bucket end. */
public final class WindowSumsSerializer extends CompactSerializer<WindowSums> {
    private static final long serialVersionUID = 1L;
    public static final WindowSumsSerializer INSTANCE = new WindowSumsSerializer();

    @Override
    public WindowSums createInstance() {
        return new WindowSums();
    }

    @Override
    protected void write(WindowSums w, DataOutputView out) throws IOException {
        out.writeLong(w.periodStart);
        out.writeLong(w.from);
        out.writeLong(w.to);
        out.writeInt(w.buckets);
        out.writeBoolean(w.salesReady);
        out.writeBoolean(w.refundsReady);
        out.writeLong(w.orders);
        out.writeLong(w.sales);
        out.writeLong(w.refundCount);
        out.writeLong(w.refunds);
        out.writeDouble(w.expectedOrders);
        out.writeDouble(w.expectedSales);
        out.writeDouble(w.salesVariance);
        out.writeDouble(w.expectedRefundCount);
        writeStrings(w.evidence, out);
        out.writeInt(w.perBucket.length);
        for (double[] figures : w.perBucket) writeDoubles(figures, out);
    }

    @Override
    protected WindowSums read(DataInputView in) throws IOException {
        WindowSums w = new WindowSums();
        w.periodStart = in.readLong();
        w.from = in.readLong();
        w.to = in.readLong();
        w.buckets = in.readInt();
        w.salesReady = in.readBoolean();
        w.refundsReady = in.readBoolean();
        w.orders = in.readLong();
        w.sales = in.readLong();
        w.refundCount = in.readLong();
        w.refunds = in.readLong();
        w.expectedOrders = in.readDouble();
        w.expectedSales = in.readDouble();
        w.salesVariance = in.readDouble();
        w.expectedRefundCount = in.readDouble();
        w.evidence = readStrings(in);
        w.perBucket = new double[in.readInt()][];
        for (int f = 0; f < w.perBucket.length; f++) w.perBucket[f] = readDoubles(in);
        return w;
    }
}
