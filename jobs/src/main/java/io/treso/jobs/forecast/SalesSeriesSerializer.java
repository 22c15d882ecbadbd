package io.treso.jobs.forecast;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link SalesSeries} in state: read and written on every captured order. */
public final class SalesSeriesSerializer extends CompactSerializer<SalesSeries> {
    private static final long serialVersionUID = 1L;
    public static final SalesSeriesSerializer INSTANCE = new SalesSeriesSerializer();

    @Override
    public SalesSeries createInstance() {
        return new SalesSeries();
    }

    @Override
    protected void write(SalesSeries s, DataOutputView out) throws IOException {
        writeString(s.key, out);
        writeString(s.currency, out);
        writeString(s.account, out);
        writeDays(s.open, out);
        writeDays(s.unpaid, out);
        out.writeInt(s.modeledThrough);
        writeModel(s.model, out);
        out.writeInt(s.lag.seen);
        out.writeLong(s.lag.tenths);
        out.writeInt(s.lastArrival);
        out.writeInt(s.interval.seen);
        out.writeLong(s.interval.tenths);
        writeDays(s.captured, out);
        out.writeInt(s.lastPayoutDay);
        out.writeLong(s.capturedCovered);
        out.writeLong(s.grossSeen);
        out.writeLong(s.netSeen);
        out.writeLong(s.timer);
        out.writeInt(s.tax.size());
        for (Map.Entry<Integer, long[]> e : s.tax.entrySet()) {
            out.writeInt(e.getKey());
            writeLongs(e.getValue(), out);
        }
    }

    @Override
    protected SalesSeries read(DataInputView in) throws IOException {
        SalesSeries s = new SalesSeries();
        s.key = readString(in);
        s.currency = readString(in);
        s.account = readString(in);
        s.open = readDays(in);
        s.unpaid = readDays(in);
        s.modeledThrough = in.readInt();
        s.model = readModel(in);
        s.lag.seen = in.readInt();
        s.lag.tenths = in.readLong();
        s.lastArrival = in.readInt();
        s.interval.seen = in.readInt();
        s.interval.tenths = in.readLong();
        s.captured = readDays(in);
        s.lastPayoutDay = in.readInt();
        s.capturedCovered = in.readLong();
        s.grossSeen = in.readLong();
        s.netSeen = in.readLong();
        s.timer = in.readLong();
        for (int n = in.readInt(); n > 0; n--) s.tax.put(in.readInt(), readLongs(in));
        return s;
    }

    static void writeModel(SeasonalSmoothing.State m, DataOutputView out) throws IOException {
        out.writeInt(m.days);
        out.writeLong(m.level);
        out.writeLong(m.trend);
        writeLongs(m.season, out);
        out.writeLong(m.errorMinor);
    }

    static SeasonalSmoothing.State readModel(DataInputView in) throws IOException {
        SeasonalSmoothing.State m = new SeasonalSmoothing.State();
        m.days = in.readInt();
        m.level = in.readLong();
        m.trend = in.readLong();
        m.season = readLongs(in);
        m.errorMinor = in.readLong();
        return m;
    }

    static void writeDays(TreeMap<Integer, Long> days, DataOutputView out) throws IOException {
        out.writeInt(days.size());
        for (Map.Entry<Integer, Long> e : days.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static TreeMap<Integer, Long> readDays(DataInputView in) throws IOException {
        TreeMap<Integer, Long> days = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) days.put(in.readInt(), in.readLong());
        return days;
    }
}
