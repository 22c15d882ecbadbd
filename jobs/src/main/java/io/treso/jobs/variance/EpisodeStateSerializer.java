package io.treso.jobs.variance;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link EpisodeState} in state: each detector reads its episode on every bucket end. */
public final class EpisodeStateSerializer extends CompactSerializer<EpisodeState> {
    private static final long serialVersionUID = 1L;
    public static final EpisodeStateSerializer INSTANCE = new EpisodeStateSerializer();

    @Override
    public EpisodeState createInstance() {
        return new EpisodeState();
    }

    @Override
    protected void write(EpisodeState e, DataOutputView out) throws IOException {
        out.writeBoolean(e.firing);
        writeString(e.alertId, out);
        out.writeLong(e.windowStart);
        writeString(e.scale, out);
        out.writeLong(e.period);
    }

    @Override
    protected EpisodeState read(DataInputView in) throws IOException {
        EpisodeState e = new EpisodeState();
        e.firing = in.readBoolean();
        e.alertId = readString(in);
        e.windowStart = in.readLong();
        e.scale = readString(in);
        e.period = in.readLong();
        return e;
    }
}
