package io.treso.jobs.runtime;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.Preconditions;

/**
 * Hands a replay's output records to the replay itself, in this JVM. Flink's collect sink, used
 * before, serialised every record, served it over a socket and shipped it by RPC to a client thread
 * that read it back: about an eighth of a month's replay CPU. Replay always runs on a MiniCluster
 * in its own JVM, so the writer can call the replay's receiver directly; a job run anywhere else
 * finds no receiver and fails at once, saying why.
 *
 * <p>Each record is copied as it arrives: with object reuse on, the operator that emitted it may
 * reuse the instance, and the receiver keeps records (sorted runs, the last position of a scope).
 * Run it at parallelism 1, as collect ran: the records of one upstream subtask keep their order.
 * Records handed over cannot be taken back, so a restarted attempt refuses to start: replay runs
 * without restarts, and a failure ends it with its cause.
 */
public final class ReplayOutputSink<T extends SpecificRecord> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private static final Map<String, Receiver<?>> RECEIVERS = new ConcurrentHashMap<>();

    private final String id;

    private ReplayOutputSink(String id) {
        this.id = id;
    }

    /** Opens a receiver for one output; close it once the job has ended, before reading. */
    public static <T extends SpecificRecord> Receiver<T> open(Consumer<T> consumer) {
        Receiver<T> r = new Receiver<>(UUID.randomUUID().toString(), consumer);
        RECEIVERS.put(r.id, r);
        return r;
    }

    @Override
    @SuppressWarnings("unchecked")
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Receiver<T> receiver = (Receiver<T>) RECEIVERS.get(id);
        Preconditions.checkState(
                receiver != null,
                "no replay is waiting for this output in this JVM: replay runs its job on a local"
                        + " MiniCluster, not on a cluster");
        // What an earlier attempt handed over cannot be taken back: never hand it over twice.
        Preconditions.checkState(
                context.getTaskInfo().getAttemptNumber() == 0,
                "a replay's outputs do not survive a restart of its job (attempt %s): run the"
                        + " replay again",
                context.getTaskInfo().getAttemptNumber());
        return new SinkWriter<>() {
            private SpecificData model;

            @Override
            public void write(T element, Context ctx) {
                if (model == null) model = SpecificData.getForSchema(element.getSchema());
                receiver.accept(model.deepCopy(element.getSchema(), element));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** Where one output's records go; its sink is {@link #sink()}. */
    public static final class Receiver<T extends SpecificRecord> implements AutoCloseable {
        private final String id;
        private final Consumer<T> consumer;

        private Receiver(String id, Consumer<T> consumer) {
            this.id = id;
            this.consumer = Preconditions.checkNotNull(consumer);
        }

        public ReplayOutputSink<T> sink() {
            return new ReplayOutputSink<>(id);
        }

        // Synchronised with close(): what the task thread handed over is visible to the reader.
        private synchronized void accept(T record) {
            consumer.accept(record);
        }

        @Override
        public synchronized void close() {
            RECEIVERS.remove(id);
        }
    }
}
