package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link Activity} on the wire to the hourly window: one per sale, refund and payout. */
public final class ActivitySerializer extends CompactSerializer<Activity> {
    private static final long serialVersionUID = 1L;
    public static final ActivitySerializer INSTANCE = new ActivitySerializer();

    /** For the sales and fee streams that meet at the hourly window. */
    public static final TypeInformation<Activity> TYPE = INSTANCE.typeInformation(Activity.class);

    @Override
    public Activity createInstance() {
        return new Activity();
    }

    @Override
    protected void write(Activity a, DataOutputView out) throws IOException {
        writeString(a.family, out);
        writeString(a.scope, out);
        writeString(a.store, out);
        writeString(a.currency, out);
        out.writeLong(a.primary);
        out.writeLong(a.secondary);
        out.writeLong(a.count);
        out.writeLong(a.secondaryCount);
        writeString(a.eventId, out);
        out.writeLong(a.occurredAt);
    }

    @Override
    protected Activity read(DataInputView in) throws IOException {
        Activity a = new Activity();
        a.family = readString(in);
        a.scope = readString(in);
        a.store = readString(in);
        a.currency = readString(in);
        a.primary = in.readLong();
        a.secondary = in.readLong();
        a.count = in.readLong();
        a.secondaryCount = in.readLong();
        a.eventId = readString(in);
        a.occurredAt = in.readLong();
        return a;
    }
}
