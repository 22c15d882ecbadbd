package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link Bucket} in state and on the wire: a judgement reads a scope's last few buckets on every
 * bucket end, and the hourly window adds every order to one.
 */
public final class BucketSerializer extends CompactSerializer<Bucket> {
    private static final long serialVersionUID = 1L;
    public static final BucketSerializer INSTANCE = new BucketSerializer();

    /** For the hourly window's accumulator and the buckets it sends to the detectors. */
    public static final TypeInformation<Bucket> TYPE = INSTANCE.typeInformation(Bucket.class);

    @Override
    public Bucket createInstance() {
        return new Bucket();
    }

    @Override
    protected void write(Bucket b, DataOutputView out) throws IOException {
        writeString(b.family, out);
        writeString(b.scope, out);
        writeString(b.store, out);
        writeString(b.currency, out);
        out.writeLong(b.start);
        out.writeLong(b.end);
        out.writeLong(b.primary);
        out.writeLong(b.secondary);
        out.writeLong(b.count);
        out.writeLong(b.secondaryCount);
        out.writeLong(b.primarySquares);
        out.writeLong(b.primaryCubes);
        out.writeLong(b.secondarySquares);
        writeStrings(b.evidence, out);
        out.writeDouble(b.uplift);
        out.writeBoolean(b.ready);
        writeDoubles(b.expected, out);
        writeDoubles(b.variance, out);
    }

    @Override
    protected Bucket read(DataInputView in) throws IOException {
        Bucket b = new Bucket();
        b.family = readString(in);
        b.scope = readString(in);
        b.store = readString(in);
        b.currency = readString(in);
        b.start = in.readLong();
        b.end = in.readLong();
        b.primary = in.readLong();
        b.secondary = in.readLong();
        b.count = in.readLong();
        b.secondaryCount = in.readLong();
        b.primarySquares = in.readLong();
        b.primaryCubes = in.readLong();
        b.secondarySquares = in.readLong();
        b.evidence = readStrings(in);
        b.uplift = in.readDouble();
        b.ready = in.readBoolean();
        b.expected = readDoubles(in);
        b.variance = readDoubles(in);
        return b;
    }
}
