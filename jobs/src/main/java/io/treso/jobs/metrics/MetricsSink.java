package io.treso.jobs.metrics;

import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Preconditions;

/**
 * A sink whose only effect is metrics: it shows a stream of outputs on the boards without touching
 * the outputs themselves. Stateless; a restart shows each value again when its scope next moves.
 */
public final class MetricsSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Registers what it shows on the {@code treso} group and returns what records one element. */
    public interface Recorder<T> extends Serializable {
        Consumer<T> open(MetricGroup treso, int cap);
    }

    private final Recorder<T> recorder;
    private final int cap;

    public MetricsSink(Recorder<T> recorder, int cap) {
        this.recorder = Preconditions.checkNotNull(recorder);
        Preconditions.checkArgument(cap > 0, "cap must be positive");
        this.cap = cap;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Consumer<T> record = recorder.open(context.metricGroup().addGroup("treso"), cap);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                record.accept(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
