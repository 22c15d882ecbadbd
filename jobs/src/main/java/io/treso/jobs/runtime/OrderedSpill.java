package io.treso.jobs.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Preconditions;

/**
 * Records put in any order, read back in a total order, with at most {@code runSize} of them in
 * memory: full runs are sorted and written to disk as Avro, then merged. Replay's outputs go
 * through one each, so its memory does not grow with the input. The merge is stable: records equal
 * in the order come back in the order they were put.
 */
public final class OrderedSpill<T extends SpecificRecord> implements Closeable {
    private final Path dir;
    private final Comparator<T> order;
    private final int runSize;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final List<Path> runs = new ArrayList<>();
    private List<T> buffer = new ArrayList<>();
    private long count;

    public OrderedSpill(Path dir, Schema schema, Comparator<T> order, int runSize) {
        Preconditions.checkArgument(runSize > 0, "runSize must be positive: %s", runSize);
        this.dir = Preconditions.checkNotNull(dir);
        this.order = Preconditions.checkNotNull(order);
        this.runSize = runSize;
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
    }

    public void add(T record) {
        buffer.add(record);
        count++;
        if (buffer.size() >= runSize) spillRun();
    }

    /** Records put so far. */
    public long count() {
        return count;
    }

    /**
     * Hands every record to {@code sink} in order. With {@code lastOfEqual}, only the last put of
     * each group equal in the order (a revised close replacing the earlier one).
     */
    public void drainTo(Sink<? super T> sink, boolean lastOfEqual) throws IOException {
        buffer.sort(order);
        List<Source<T>> sources = new ArrayList<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                sources.add(new Source<>(i, fileReader(runs.get(i))));
            }
            java.util.Iterator<T> inMemory = buffer.iterator();
            sources.add(
                    new Source<>(runs.size(), () -> inMemory.hasNext() ? inMemory.next() : null));
            // Ties go to the earlier run, so equal records keep the order they were put in.
            PriorityQueue<Source<T>> heads =
                    new PriorityQueue<>(
                            Comparator.<Source<T>, T>comparing(s -> s.head, order)
                                    .thenComparingInt(s -> s.index));
            for (Source<T> s : sources) if (s.advance()) heads.add(s);
            T pending = null;
            while (!heads.isEmpty()) {
                Source<T> s = heads.poll();
                T next = s.head;
                if (s.advance()) heads.add(s);
                if (!lastOfEqual) {
                    sink.accept(next);
                } else {
                    if (pending != null && order.compare(pending, next) != 0) sink.accept(pending);
                    pending = next;
                }
            }
            if (pending != null) sink.accept(pending);
        } finally {
            for (Source<T> s : sources) s.close();
            buffer = new ArrayList<>();
        }
    }

    private void spillRun() {
        buffer.sort(order);
        try {
            Path run = Files.createTempFile(dir, "run-", ".avro");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run))) {
                BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
                for (T r : buffer) {
                    enc.writeBoolean(true);
                    writer.write(r, enc);
                }
                enc.writeBoolean(false);
                enc.flush();
            }
            runs.add(run);
        } catch (IOException e) {
            throw new UncheckedIOException("could not spill replay output to " + dir, e);
        }
        buffer = new ArrayList<>();
    }

    private Next<T> fileReader(Path run) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(run), 1 << 16);
        BinaryDecoder dec = DecoderFactory.get().directBinaryDecoder(in, null);
        return new Next<>() {
            @Override
            public T next() throws IOException {
                if (!dec.readBoolean()) return null;
                return reader.read(null, dec);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        for (Path run : runs) Files.deleteIfExists(run);
        runs.clear();
        buffer = new ArrayList<>();
    }

    /** Where {@link #drainTo} hands the records; it may fail on I/O, as a file writer does. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T record) throws IOException;
    }

    /** The next record of a run, or null at its end. */
    private interface Next<T> extends Closeable {
        T next() throws IOException;

        @Override
        default void close() throws IOException {}
    }

    private static final class Source<T> {
        final int index;
        final Next<T> next;
        T head;

        Source(int index, Next<T> next) {
            this.index = index;
            this.next = next;
        }

        boolean advance() throws IOException {
            head = next.next();
            return head != null;
        }

        void close() throws IOException {
            next.close();
        }
    }
}
