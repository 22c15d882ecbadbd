package io.treso.jobs.forecast;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ForecastEvent} on the wire and in the day's waiting list. */
public final class ForecastEventSerializer extends CompactSerializer<ForecastEvent> {
    private static final long serialVersionUID = 1L;
    public static final ForecastEventSerializer INSTANCE = new ForecastEventSerializer();

    @Override
    public ForecastEvent createInstance() {
        return new ForecastEvent();
    }

    @Override
    protected void write(ForecastEvent e, DataOutputView out) throws IOException {
        out.writeByte(e.kind.ordinal());
        out.writeLong(e.time);
        writeString(e.id, out);
        writeString(e.currency, out);
        writeString(e.series, out);
        writeString(e.account, out);
        writeString(e.counterparty, out);
        writeString(e.label, out);
        out.writeLong(e.amountMinor);
        out.writeLong(e.otherMinor);
        out.writeLong(e.marginMinor);
        out.writeInt(e.day);
        writeString(e.status, out);
    }

    @Override
    protected ForecastEvent read(DataInputView in) throws IOException {
        ForecastEvent e = new ForecastEvent();
        e.kind = ForecastEvent.Kind.values()[in.readByte()];
        e.time = in.readLong();
        e.id = readString(in);
        e.currency = readString(in);
        e.series = readString(in);
        e.account = readString(in);
        e.counterparty = readString(in);
        e.label = readString(in);
        e.amountMinor = in.readLong();
        e.otherMinor = in.readLong();
        e.marginMinor = in.readLong();
        e.day = in.readInt();
        e.status = readString(in);
        return e;
    }
}
