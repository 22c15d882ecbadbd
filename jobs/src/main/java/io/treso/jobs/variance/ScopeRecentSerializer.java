package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ScopeRecent} in state, read and written once per bucket end: buckets as deltas from the
 * one before, and those past {@link ScopeRecent#detailFrom} as their three figures alone, in
 * variable-length integers (an hour's figures are small numbers).
 */
public final class ScopeRecentSerializer extends CompactSerializer<ScopeRecent> {
    private static final long serialVersionUID = 1L;
    public static final ScopeRecentSerializer INSTANCE = new ScopeRecentSerializer();

    @Override
    public ScopeRecent createInstance() {
        return new ScopeRecent(new Bucket(), 0);
    }

    @Override
    protected void write(ScopeRecent r, DataOutputView out) throws IOException {
        writeString(r.identity.family, out);
        writeString(r.identity.scope, out);
        writeString(r.identity.store, out);
        writeString(r.identity.currency, out);
        out.writeLong(r.nextEnd);
        TrailingWeekSerializer.INSTANCE.serialize(r.trailing, out);
        writePeriod(r.localDay, out);
        writePeriod(r.localWeek, out);
        out.writeInt(r.episodes.size());
        for (Map.Entry<VarianceType, EpisodeState> e : r.episodes.entrySet()) {
            writeString(e.getKey().name(), out);
            EpisodeStateSerializer.INSTANCE.serialize(e.getValue(), out);
        }
        out.writeLong(r.detailFrom);
        out.writeInt(r.buckets.size());
        long last = 0;
        for (Bucket b : r.buckets) {
            writeVarLong(b.start - last, out);
            writeVarLong(b.end - b.start, out);
            last = b.start;
            writeVarLong(b.primary, out);
            writeVarLong(b.secondary, out);
            writeVarLong(b.secondaryCount, out);
            if (b.start < r.detailFrom) continue;
            writeVarLong(b.count, out);
            writeVarLong(b.primarySquares, out);
            writeVarLong(b.primaryCubes, out);
            writeVarLong(b.secondarySquares, out);
            writeStrings(b.evidence, out);
            out.writeDouble(b.uplift);
            out.writeBoolean(b.ready);
            writeDoubles(b.expected, out);
            writeDoubles(b.variance, out);
        }
    }

    @Override
    protected ScopeRecent read(DataInputView in) throws IOException {
        Bucket id = new Bucket();
        id.family = readString(in);
        id.scope = readString(in);
        id.store = readString(in);
        id.currency = readString(in);
        ScopeRecent r = new ScopeRecent(id, in.readLong());
        r.trailing = TrailingWeekSerializer.INSTANCE.deserialize(in);
        r.localDay = readPeriod(in);
        r.localWeek = readPeriod(in);
        for (int i = in.readInt(); i > 0; i--) {
            VarianceType type = VarianceType.valueOf(readString(in));
            r.episodes.put(type, EpisodeStateSerializer.INSTANCE.deserialize(in));
        }
        r.detailFrom = in.readLong();
        long last = 0;
        for (int i = in.readInt(); i > 0; i--) {
            Bucket b = new Bucket();
            b.start = last + readVarLong(in);
            b.end = b.start + readVarLong(in);
            last = b.start;
            b.primary = readVarLong(in);
            b.secondary = readVarLong(in);
            b.secondaryCount = readVarLong(in);
            if (b.start >= r.detailFrom) {
                b.count = readVarLong(in);
                b.primarySquares = readVarLong(in);
                b.primaryCubes = readVarLong(in);
                b.secondarySquares = readVarLong(in);
                b.evidence = readStrings(in);
                b.uplift = in.readDouble();
                b.ready = in.readBoolean();
                b.expected = readDoubles(in);
                b.variance = readDoubles(in);
            }
            r.buckets.add(b);
        }
        return r;
    }

    private static void writePeriod(WindowSums w, DataOutputView out) throws IOException {
        out.writeBoolean(w != null);
        if (w != null) WindowSumsSerializer.INSTANCE.serialize(w, out);
    }

    private static WindowSums readPeriod(DataInputView in) throws IOException {
        return in.readBoolean() ? WindowSumsSerializer.INSTANCE.deserialize(in) : null;
    }
}
