package io.treso.connectors.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * What one source file gave: the plan of its checked batches, or the one reason it was refused. The
 * plan holds each batch's label, first event time, size and check, not its events: {@link #open}
 * reads them again when they are published, so a streamed file is held one statement at a time.
 */
public final class ParsedFile {
    /** One checked batch, without its events. */
    public record Planned(String label, Instant firstEventTime, int events, String check) {
        static Planned of(IngestBatch b) {
            return new Planned(b.label(), b.firstEventTime(), b.events().size(), b.check());
        }

        /** True when a batch read again is the one that was checked. */
        boolean describes(IngestBatch b) {
            return label.equals(b.label())
                    && firstEventTime.equals(b.firstEventTime())
                    && events == b.events().size();
        }
    }

    private final Path file;
    private final int entriesRead;
    private final List<Planned> plan;
    private final BatchCursor.Opener opener;
    private final String refusal;

    private ParsedFile(
            Path file,
            int entriesRead,
            List<Planned> plan,
            BatchCursor.Opener opener,
            String refusal) {
        this.file = Preconditions.checkNotNull(file);
        this.entriesRead = entriesRead;
        this.plan = List.copyOf(plan);
        this.opener = opener;
        this.refusal = refusal;
    }

    /** A file read whole, its batches held. */
    public static ParsedFile accepted(Path file, int entriesRead, List<IngestBatch> batches) {
        List<IngestBatch> held = List.copyOf(batches);
        List<Planned> plan = new ArrayList<>();
        for (IngestBatch b : held) plan.add(Planned.of(b));
        return new ParsedFile(file, entriesRead, plan, () -> held(held, entriesRead), null);
    }

    /**
     * Reads a file through its cursor once to check every batch, keeping only the plan; a refusal
     * anywhere in the file refuses it whole, before anything of it is published.
     */
    public static ParsedFile streamed(Path file, BatchCursor.Opener opener) throws IOException {
        List<Planned> plan = new ArrayList<>();
        try (BatchCursor cursor = opener.open()) {
            for (IngestBatch b = cursor.next(); b != null; b = cursor.next()) {
                plan.add(Planned.of(b));
            }
            return new ParsedFile(file, cursor.entriesRead(), plan, opener, null);
        } catch (RefusedFileException e) {
            return refused(file, e.getMessage());
        }
    }

    public static ParsedFile refused(Path file, String reason) {
        return new ParsedFile(file, 0, List.of(), null, Preconditions.checkNotNull(reason));
    }

    public Path file() {
        return file;
    }

    /** Entries, transactions or records read from the file, before any grouping. */
    public int entriesRead() {
        return entriesRead;
    }

    /** The checked batches, in file order, without their events. */
    public List<Planned> plan() {
        return plan;
    }

    /** Reads the batches again, in file order: each one is {@code plan().get(i)}. */
    public BatchCursor open() throws IOException {
        Preconditions.checkState(refusal == null, "a refused file has no batches");
        return opener.open();
    }

    /** Every batch with its events, read into memory: for tests and small files. */
    public List<IngestBatch> batches() {
        if (refusal != null) return List.of();
        List<IngestBatch> out = new ArrayList<>();
        try (BatchCursor cursor = open()) {
            for (IngestBatch b = cursor.next(); b != null; b = cursor.next()) out.add(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RefusedFileException e) {
            throw new IllegalStateException(
                    file + " was accepted, then refused: " + e.getMessage());
        }
        return out;
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public String refusal() {
        return refusal;
    }

    private static BatchCursor held(List<IngestBatch> batches, int entries) {
        return new BatchCursor() {
            private int next;

            @Override
            public IngestBatch next() {
                return next < batches.size() ? batches.get(next++) : null;
            }

            @Override
            public int entriesRead() {
                return entries;
            }

            @Override
            public void close() {}
        };
    }
}
